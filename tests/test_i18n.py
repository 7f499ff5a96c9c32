from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_danish_is_the_default(client, db):
    page = client.get("/login/")
    assert '<html lang="da">' in page.text
    assert "Log ind" in page.text


def test_english_on_request(client, db):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="en">' in page.text and "Log in" in page.text


def test_the_users_language_wins_over_the_browsers(client, patient):
    patient.user.language = "en"
    patient.user.save()
    client.force_login(patient.user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="da")
    assert '<html lang="en">' in page.text


@pytest.mark.parametrize("po_path", sorted(LOCALE.glob("da/LC_MESSAGES/*.po")), ids=str)
def test_every_danish_string_is_translated(po_path):
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    for entry in po.translated_entries():
        # Placeholders must survive translation, or formatting fails at run time.
        for token in ("%(", "{"):
            assert entry.msgid.count(token) == (entry.msgstr or entry.msgstr_plural[0]).count(
                token
            ), entry.msgid


def test_every_status_and_flag_has_a_label():
    """The pages show a translated label for each code the API returns; a new status or flag
    without one would show as an empty cell."""
    from progress.assessment import STATUSES
    from progress.selectors import FLAGS
    from web.labels import FLAGS as FLAG_LABELS
    from web.labels import STATUS, STATUS_HELP

    assert set(STATUS) == set(STATUS_HELP) == set(STATUSES)
    assert set(FLAG_LABELS) == set(FLAGS)
