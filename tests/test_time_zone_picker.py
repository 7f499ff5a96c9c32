"""The settings page's time-zone picker (issue 17, item 6): a list to choose from, Denmark,
the Faroe Islands and Greenland first, the patient's own zone chosen, and a zone the list does
not hold kept rather than silently replaced by the first one."""

import re

from django.urls import reverse


def _options(client):
    page = client.get(reverse("settings")).content.decode()
    picker = page.split('id="pf-timezone"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option value="([^"]+)"', picker)
    selected = re.findall(r'<option value="([^"]+)" selected', picker)
    return values, selected


def test_the_picker_lists_places_with_the_patients_zone_chosen(client, patient):
    client.force_login(patient.user)
    values, selected = _options(client)
    assert values[:3] == ["Europe/Copenhagen", "Atlantic/Faroe", "America/Nuuk"]
    assert len(values) > 300 and len(values) == len(set(values))  # each zone once
    assert "Europe/Berlin" in values and not any(v.startswith("Etc/") for v in values)
    assert selected == [patient.user.timezone] == ["Europe/Copenhagen"]

    patient.user.timezone = "Asia/Tokyo"
    patient.user.save(update_fields=["timezone"])
    assert _options(client)[1] == ["Asia/Tokyo"]


def test_a_zone_outside_the_list_is_kept_and_chosen(client, patient):
    patient.user.timezone = "UTC"
    patient.user.save(update_fields=["timezone"])
    client.force_login(patient.user)
    values, selected = _options(client)
    assert values[0] == "UTC" and selected == ["UTC"]
