"""The public web forms are throttled like the API (accounts.throttling).

The attacks: the web join form (`/join/<code>/`) had no limit, although the API's join did,
so invitation codes and passwords could be tried there without end; `/password-reset/` had
none either, so anyone could flood a patient's inbox, or the mail server, from one address
or from many.
"""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.throttle_support import redis_cache, window_start  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("window_start")

RESET = "/password-reset/"
SENT = "/password-reset/sent/"


def _rate(settings, scope) -> int:
    return int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


# --- joining ----------------------------------------------------------------------------------


def _web_join(client, ip="203.0.113.5", code="no-such-code", **headers):
    data = {"name": "X", "password1": "a-long-new-pass", "password2": "a-long-new-pass"}
    return client.post(f"/join/{code}/", data, REMOTE_ADDR=ip, **headers)


def _api_join(api, ip="203.0.113.5"):
    body = {"code": "no-such-code", "password": "a-long-new-password"}
    return api.post("/api/v1/invitations/accept/", body, format="json", REMOTE_ADDR=ip)


def test_the_web_join_form_is_throttled(client, db, settings):
    for _ in range(_rate(settings, "invitation")):
        assert _web_join(client).status_code == 404
    response = _web_join(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "For mange forsøg" in response.content.decode()
    # Someone else is not affected.
    assert _web_join(client, ip="198.51.100.7").status_code == 404


def test_web_and_api_join_share_one_count(client, api, db, settings):
    for n in range(_rate(settings, "invitation")):
        response = _web_join(client) if n % 2 else _api_join(api)
        assert response.status_code in (400, 404)
    assert _web_join(client).status_code == 429
    assert _api_join(api).status_code == 429


def test_web_join_ignores_a_made_up_forwarded_for(client, db, settings):
    for n in range(_rate(settings, "invitation")):
        _web_join(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _web_join(client, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def test_a_throttled_client_cannot_join_even_with_a_good_code(client, physio, db, settings):
    from accounts.models import PatientProfile
    from accounts.services import invitation_create

    _invitation, code = invitation_create(physio=physio, email="new@example.org", name="Ny")
    for _ in range(_rate(settings, "invitation")):
        _web_join(client)
    # The page still shows (only posting is counted), but joining waits.
    assert client.get(f"/join/{code}/", REMOTE_ADDR="203.0.113.5").status_code == 200
    response = _web_join(client, code=code)
    assert response.status_code == 429
    assert not PatientProfile.objects.filter(user__email="new@example.org").exists()


# --- password reset ---------------------------------------------------------------------------


def _reset(client, email, ip="203.0.113.5", **headers):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip, **headers)


def _same_answer(response):
    assert response.status_code == 302 and response["Location"] == SENT


def test_reset_is_limited_per_email_address_from_any_address(client, db, settings):
    user = UserFactory()
    per_email = _rate(settings, "password_reset_email")
    for n in range(per_email + 5):
        # A different address each time, and the e-mail in different cases.
        email = user.email.upper() if n % 2 else user.email
        _same_answer(_reset(client, email, ip=f"198.51.100.{n}"))
    assert len(mail.outbox) == per_email
    assert {tuple(m.to) for m in mail.outbox} == {(user.email,)}


def test_reset_is_limited_per_client_address_across_emails(client, db, settings):
    per_address = _rate(settings, "password_reset")
    users = UserFactory.create_batch(per_address + 3)
    for user in users:
        _same_answer(_reset(client, user.email))
    assert len(mail.outbox) == per_address
    # Another client can still ask for the rest.
    for user in users[per_address:]:
        _same_answer(_reset(client, user.email, ip="192.0.2.9"))
    assert len(mail.outbox) == len(users)


def test_reset_per_address_ignores_a_made_up_forwarded_for(client, db, settings):
    per_address = _rate(settings, "password_reset")
    users = UserFactory.create_batch(per_address + 1)
    for n, user in enumerate(users):
        _same_answer(_reset(client, user.email, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"))
    assert len(mail.outbox) == per_address


def test_reset_answers_alike_whether_the_email_exists_or_is_throttled(client, db, settings):
    """The answer must not tell an attacker whether an account exists, nor that they were
    throttled: the same redirect to the same "if the address exists" page, always."""
    user = UserFactory()
    answers = []
    answers.append(_reset(client, user.email, ip="198.51.100.1"))  # exists, sent
    answers.append(_reset(client, "nobody@example.org", ip="198.51.100.2"))  # no account
    for n in range(_rate(settings, "password_reset_email")):
        _reset(client, user.email, ip=f"198.51.100.{10 + n}")
    sent = len(mail.outbox)
    answers.append(_reset(client, user.email, ip="198.51.100.3"))  # exists, throttled
    answers.append(_reset(client, "nobody@example.org", ip="198.51.100.4"))  # neither
    assert len(mail.outbox) == sent  # the throttled one sent nothing
    assert {(a.status_code, a["Location"], a.content) for a in answers} == {(302, SENT, b"")}
    page = client.get(SENT).content.decode()
    assert re.search(r"If an account uses that address|Hvis der findes en konto", page)


def test_a_bad_email_is_a_form_error_not_a_count(client, db, settings):
    response = _reset(client, "not-an-address")
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()


@pytest.mark.redis
@pytest.mark.usefixtures("redis_cache")
def test_reset_counts_are_shared_through_redis(client, db, settings):
    user = UserFactory()
    per_email = _rate(settings, "password_reset_email")
    for n in range(per_email + 2):
        _same_answer(_reset(client, user.email, ip=f"198.51.100.{n}"))
    assert len(mail.outbox) == per_email


def test_with_the_cache_down_reset_and_join_still_work(client, db, caplog):
    from django.test import override_settings

    from tests.test_login_throttling import DEAD_CACHE

    user = UserFactory()
    with override_settings(CACHES=DEAD_CACHE):
        _same_answer(_reset(client, user.email))
        assert _web_join(client).status_code == 404
    assert len(mail.outbox) == 1
    assert "the cache is unavailable" in caplog.text
