"""Today and Programme name the offline copy of the programme they show (`data-offline`), as
/programme.json names itself (`X-Offline-Version`): the service worker compares the two to
know when to fetch the copy again (tests/browser/test_offline_copy.py)."""

import re

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


def page_names(client, path):
    match = re.search(r'data-offline="([0-9a-f]+)"', client.get(path).content.decode())
    return match and match.group(1)


def copy_names(client):
    response = client.get("/programme.json")
    assert response.status_code == 200
    return response["X-Offline-Version"]


@pytest.mark.parametrize("with_programme", [True, False], ids=["programme", "none yet"])
def test_the_pages_name_the_copy_the_server_gives(client_for, patient, assign, with_programme):
    if with_programme:
        assign(patient)
    client = client_for(patient.user)
    names = {copy_names(client), page_names(client, "/"), page_names(client, "/programme/")}
    assert len(names) == 1 and None not in names


def test_the_name_changes_with_the_programme_and_the_language(client_for, patient, assign):
    from exercises.services import programme_rename

    programme = assign(patient)
    client = client_for(patient.user)
    before = copy_names(client)
    assert copy_names(client) == before  # the same copy, the same name

    other = "en" if patient.user.language == "da" else "da"
    User.objects.filter(pk=patient.user.pk).update(language=other)
    other_language = copy_names(client_for(User.objects.get(pk=patient.user.pk)))
    assert other_language != before

    programme_rename(actor=patient.physio.user, programme=programme, name="Uge 3")
    assert page_names(client, "/") != other_language
    assert page_names(client, "/") == copy_names(client)


def test_pages_without_the_programme_name_no_copy(client_for, patient, assign):
    assign(patient)
    client = client_for(patient.user)
    assert page_names(client, "/progress/") is None
    assert page_names(client, "/settings/") is None
