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
