"""The progress chart from a cache keyed by the data it shows, with an ETag: a repeat request
with If-None-Match gets `304 Not Modified` and no body until the data changes; a diary write,
another language or another local date gives another ETag. From outside, over HTTP, as the
patient and as their physio. Run on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AccessRecord
from progress import cache as progress_cache

from .factories import PatientFactory, diary_series

CHART = "/api/v1/progress/chart.svg"


@pytest.fixture
def started(patient, assign):
    today = patient.user.local_today()
    start = today - timedelta(days=20)
    assign(patient, starts_on=start)
    diary_series(patient, start, [6] * 7 + [5] * 7 + [3] * 6)  # not yet today
    return patient


def _put(client, patient, pain):
    day = patient.user.local_today().isoformat()
    response = client.put(f"/api/v1/diary/{day}/", {"morning_pain": pain}, format="json")
    assert response.status_code in (200, 201)


def test_a_repeat_request_is_not_modified_and_has_no_body(client_for, started):
    client = client_for(started.user)
    first = client.get(CHART)
    assert first.status_code == 200 and first.content.startswith(b"<svg")
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Cache-Control"] == "private, no-cache"
    again = client.get(CHART, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Without the client's copy, the same chart again, from the cache.
    assert client.get(CHART)["ETag"] == etag


def test_after_a_diary_write_the_etag_changes_and_the_chart_is_new(client_for, started):
    client = client_for(started.user)
    first = client.get(CHART)
    _put(client, started, 9)
    after = client.get(CHART, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    # Today's 9 is in the mean: (6 * 3 + 9) / 7 - 6 = -2.1 instead of 3 - 6.
    assert "3,0 point lavere" in first.content.decode()
    assert "2,1 point lavere" in after.content.decode()
    assert client.get(CHART, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_the_etag_is_per_language_and_per_local_date(client_for, started):
    client = client_for(started.user)
    danish = client.get(CHART)["ETag"]
    started.user.language = "en"
    started.user.save(update_fields=["language"])
    english = client.get(CHART, HTTP_IF_NONE_MATCH=danish)
    assert english.status_code == 200 and english["ETag"] != danish
    assert b'lang="en"' in english.content
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        tomorrow = client.get(CHART, HTTP_IF_NONE_MATCH=english["ETag"])
    assert tomorrow.status_code == 200 and tomorrow["ETag"] != english["ETag"]


def test_another_patients_etag_is_not_theirs(client_for, started):
    other = PatientFactory(physio=started.physio)
    etag = client_for(started.user).get(CHART)["ETag"]
    theirs = client_for(other.user).get(CHART, HTTP_IF_NONE_MATCH=etag)
    assert theirs.status_code == 200 and theirs["ETag"] != etag


def test_a_cached_chart_is_not_drawn_again(client_for, started, monkeypatch):
    client = client_for(started.user)
    client.get(CHART)
    drawn = []
    render = progress_cache.render_chart
    monkeypatch.setattr(
        progress_cache, "render_chart", lambda *a, **kw: drawn.append(1) or render(*a, **kw)
    )
    etag = client.get(CHART)["ETag"]
    assert drawn == []
    # (Counted at once: the next request empties the log.)
    with CaptureQueriesContext(connection) as repeat:
        assert client.get(CHART).status_code == 200
    repeated = [query["sql"] for query in repeat.captured_queries]
    with CaptureQueriesContext(connection) as not_modified:
        assert client.get(CHART, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(not_modified.captured_queries) == len(repeated)
    # Nothing of the diary or the programme is read: the ETag is the rules and what the
    # request loads anyway (session, user, second factors, the patient's profile).
    assert not [sql for sql in repeated if "diary" in sql or "programme" in sql]
    assert sum("assessmentsettings" in sql for sql in repeated) == 1
    _put(client, started, 2)
    assert client.get(CHART).status_code == 200
    assert drawn == [1]


def test_the_physios_repeat_is_not_modified_and_still_recorded(client_for, started):
    client = client_for(started.physio.user)
    url = f"/api/v1/patients/{started.pk}/progress/chart.svg"
    first = client.get(url)
    assert first.status_code == 200
    # The patient's own chart shows the same data: the same ETag.
    assert first["ETag"] == client_for(started.user).get(CHART)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # The physio saw the chart twice: two records, the 304 included.
    assert AccessRecord.objects.filter(patient=started, what="progress").count() == 2
    # A patient outside their care: 404, whatever the ETag.
    stranger = PatientFactory()
    response = client.get(
        f"/api/v1/patients/{stranger.pk}/progress/chart.svg", HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert response.status_code == 404
