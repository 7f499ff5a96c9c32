"""Clinic contacts (accounts/contacts.py), GET /api/v1/clinic/ and the contacts box on the pages.

The regional after-hours numbers are those of clinical-evidence.md section 10.
"""

from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from accounts import contacts
from accounts.contacts import BY_REGION, REGIONS, clinic_contacts, tel_href
from accounts.models import Clinic

from .factories import ClinicFactory, PatientFactory, PhysioFactory, UserFactory

EVIDENCE = Path("/work/shared/design/clinical-evidence.md")

EXPECTED_NUMBERS = {
    "hovedstaden": "1813",
    "sjaelland": "1818",
    "syddanmark": "70 11 07 07",
    "midtjylland": "70 11 31 31",
    "nordjylland": "70 15 03 00",
}


def test_the_five_regions_and_their_after_hours_numbers():
    assert {r.code: r.after_hours_phone for r in REGIONS} == EXPECTED_NUMBERS


@pytest.mark.skipif(not EVIDENCE.exists(), reason="design notes not beside the repository")
def test_each_number_is_the_one_in_the_evidence_file():
    text = EVIDENCE.read_text(encoding="utf-8")
    section = text[text.index("## 10. After-hours") :]
    for number in EXPECTED_NUMBERS.values():
        assert number in section


def test_each_region_cites_its_source_in_the_module():
    source = Path(contacts.__file__).read_text(encoding="utf-8")
    sources = [line for line in source.splitlines() if line.strip().startswith("# Source:")]
    assert len(sources) == len(REGIONS)
    # Nordjylland's number is reported only (clinical-evidence.md marks it [R]).
    assert [line.endswith("[V].") for line in sources] == [True, True, True, True, False]
    assert "[R]" in sources[-1]


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("1813", "tel:1813"),
        ("112", "tel:112"),
        ("70 11 07 07", "tel:+4570110707"),
        ("+45 55 55 12 34", "tel:+4555551234"),
        ("", ""),
    ],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href


def test_clinic_contacts_use_the_regions_number_unless_the_clinic_set_its_own():
    clinic = Clinic(name="Klinik", slug="k", region="syddanmark", phone="55 55 00 00")
    found = clinic_contacts(clinic)
    assert (found.after_hours_phone, found.after_hours_href) == ("70 11 07 07", "tel:+4570110707")
    assert found.after_hours_label == BY_REGION["syddanmark"].after_hours_label
    assert (found.emergency_phone, found.phone_href) == ("112", "tel:+4555550000")
    clinic.after_hours_phone = "70 00 00 01"
    assert clinic_contacts(clinic).after_hours_phone == "70 00 00 01"


def test_the_module_is_pure():
    source = Path(contacts.__file__).read_text(encoding="utf-8")
    assert "django.db" not in source and ".models" not in source


# --- the model -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_clinic_is_in_the_capital_region():
    assert ClinicFactory().region == "hovedstaden"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("region", "bornholm", "clinic_region_valid"),
        ("answers_within", 0, "clinic_answers_within_1_to_30"),
        ("answers_within", 31, "clinic_answers_within_1_to_30"),
    ],
)
def test_the_database_refuses_an_unknown_region_or_answer_time(field, value, constraint):
    clinic = ClinicFactory()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Clinic.objects.filter(pk=clinic.pk).update(**{field: value})


# --- GET /api/v1/clinic/ --------------------------------------------------------------------


@pytest.fixture
def contact_clinic(db):
    return ClinicFactory(
        name="Hælklinikken",
        region="midtjylland",
        phone="55 55 12 34",
        email="kontakt@klinik.invalid",
        booking_url="https://book.klinik.invalid/",
        answers_within=2,
    )


def expected_body(clinic, label):
    return {
        "name": clinic.name,
        "region": clinic.region,
        "phone": clinic.phone,
        "email": clinic.email,
        "booking_url": clinic.booking_url,
        "answers_within": clinic.answers_within,
        "after_hours": {"label": label, "phone": "70 11 31 31"},
        "emergency_phone": "112",
    }


def test_a_patient_reads_their_clinic(client_for, contact_clinic):
    patient = PatientFactory(clinic=contact_clinic, physio=PhysioFactory(clinic=contact_clinic))
    response = client_for(patient.user).get("/api/v1/clinic/")
    assert response.status_code == 200
    with translation.override("da"):
        label = str(BY_REGION["midtjylland"].after_hours_label)
    assert response.json() == expected_body(contact_clinic, label)


def test_a_physio_reads_their_own_clinic_not_another(client_for, contact_clinic):
    physio = PhysioFactory(clinic=contact_clinic)
    other = ClinicFactory(name="Anden klinik", region="nordjylland")
    PatientFactory(clinic=other, physio=PhysioFactory(clinic=other))
    body = client_for(physio.user).get("/api/v1/clinic/").json()
    assert body["name"] == "Hælklinikken" and body["after_hours"]["phone"] == "70 11 31 31"


def test_another_clinics_patient_sees_their_own_clinic(client_for, contact_clinic):
    other = ClinicFactory(name="Anden klinik", region="nordjylland")
    patient = PatientFactory(clinic=other, physio=PhysioFactory(clinic=other))
    body = client_for(patient.user).get("/api/v1/clinic/").json()
    assert (body["name"], body["after_hours"]["phone"]) == ("Anden klinik", "70 15 03 00")
    assert body["phone"] == body["email"] == body["booking_url"] == ""
    assert body["answers_within"] is None


def test_anonymous_and_users_without_a_clinic_are_refused(api, client_for, db):
    assert api.get("/api/v1/clinic/").status_code in (401, 403)
    assert client_for(UserFactory()).get("/api/v1/clinic/").status_code == 403


def test_the_after_hours_label_follows_the_language(client_for, contact_clinic):
    patient = PatientFactory(clinic=contact_clinic, physio=PhysioFactory(clinic=contact_clinic))
    patient.user.language = "en"
    patient.user.save()
    body = client_for(patient.user).get("/api/v1/clinic/").json()
    assert body["after_hours"]["label"] == "After-hours doctor, Central Denmark Region"


# --- the contacts box on the pages ----------------------------------------------------------


@pytest.fixture
def contact_patient(contact_clinic):
    return PatientFactory(clinic=contact_clinic, physio=PhysioFactory(clinic=contact_clinic))


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_check_in_result_has_112_the_regions_after_hours_number_and_the_clinic(
    client, contact_patient
):
    html = page(client, contact_patient.user, "/checkin/")
    assert 'href="tel:112"' in html
    assert 'href="tel:+4570113131"' in html and "70 11 31 31" in html  # Midtjylland
    assert 'href="tel:+4555551234"' in html
    assert 'href="mailto:kontakt@klinik.invalid"' in html
    assert 'href="https://book.klinik.invalid/"' in html
    assert "1813" not in html


def test_the_progress_advice_box_shows_the_contacts_that_fit_its_urgency(client, contact_patient):
    from diary.models import CheckIn

    html = page(client, contact_patient.user, "/progress/")
    assert 'href="tel:112"' not in html  # no advice, no box
    CheckIn.objects.create(
        patient=contact_patient,
        kind="weekly",
        answers={},
        red_flags=["calf_swollen_red"],
        urgency="same_day",
    )
    html = page(client, contact_patient.user, "/progress/")
    assert 'href="tel:112"' in html and 'href="tel:+4570113131"' in html
    assert 'href="tel:+4555551234"' in html


def test_the_today_banner_holds_both_contact_boxes_for_its_script(client, contact_patient):
    html = page(client, contact_patient.user, "/")
    assert html.count('class="notice-contacts"') == 2
    assert 'data-for="urgent"' in html and 'href="tel:+4570113131"' in html


def test_a_clinic_without_own_contacts_still_shows_112_and_the_after_hours_doctor(client, patient):
    html = page(client, patient.user, "/checkin/")
    assert 'href="tel:112"' in html and 'href="tel:1813"' in html
    assert "mailto:" not in html


def test_the_after_hours_number_a_clinic_set_wins(client, contact_patient):
    Clinic.objects.filter(pk=contact_patient.clinic_id).update(after_hours_phone="70 00 00 01")
    html = page(client, contact_patient.user, "/checkin/")
    assert 'href="tel:+4570000001"' in html and "70 11 31 31" not in html


# --- the check-in page: diabetes as background, the weekly wording ---------------------------


def test_onboarding_asks_diabetes_once_and_the_weekly_check_in_repeats_nothing(
    client, contact_patient
):
    from diary.models import CheckIn
    from diary.red_flags import CHECKIN_INTRO, DIABETES_QUESTION, ONBOARDING_INTRO

    with translation.override("da"):
        onboarding, weekly, diabetes = map(
            str, (ONBOARDING_INTRO, CHECKIN_INTRO, DIABETES_QUESTION)
        )
    html = page(client, contact_patient.user, "/checkin/")
    assert 'id="q-has_diabetes"' in html and onboarding in html and diabetes in html
    assert 'data-question-with-diabetes="' in html
    contact_patient.has_diabetes = False
    contact_patient.save()
    CheckIn.objects.create(patient=contact_patient, kind="onboarding", answers={})
    html = page(client, contact_patient.user, "/checkin/")
    assert 'id="q-has_diabetes"' not in html and onboarding not in html and weekly in html
    assert "18" not in html.split('id="checkin-form"')[0].split("<h1>")[-1]


def test_with_diabetes_the_page_asks_about_a_foot_wound_first(client, contact_patient):
    contact_patient.has_diabetes = True
    contact_patient.save()
    html = page(client, contact_patient.user, "/checkin/")
    codes = [
        part.split('"')[0] for part in html.split('<fieldset class="question red-flag" id="q-')[1:]
    ]
    assert codes[0] == "diabetes_wound" and len(codes) == 11
