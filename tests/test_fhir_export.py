"""The FHIR export (progress.fhir, issue 15 item 5): every Bundle is parsed back with
fhir.resources' R4B models, and its codes, references and counts are checked against what is
stored. For the physio (access-logged, 404 outside their care) and as the patient's own export
(`?as=fhir`)."""

import json
from datetime import UTC, datetime

import pytest
import time_machine
from fhir.resources.R4B.bundle import Bundle

from accounts.models import AccessRecord
from diary.models import DiaryEntry
from exercises.models import Programme
from outcomes.models import QuestionnaireResponse

from .factories import PatientFactory, PhysioFactory
from .test_report_pdf import make_history

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


@pytest.fixture
def history(db, patient, assign):
    with time_machine.travel(NOW, tick=False):
        yield make_history(patient, assign)


def parsed(response) -> Bundle:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response["Cache-Control"] == "no-store"
    return Bundle.model_validate(json.loads(response.content))


def by_type(bundle: Bundle) -> dict[str, list]:
    found: dict[str, list] = {}
    for entry in bundle.entry:
        assert entry.fullUrl == f"urn:uuid:{entry.resource.id}"
        found.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    return found


def check_bundle(bundle: Bundle, patient, start) -> None:
    assert bundle.type == "collection"
    resources = by_type(bundle)
    full_urls = {entry.fullUrl for entry in bundle.entry}
    (fhir_patient,) = resources["Patient"]
    assert fhir_patient.name[0].text == patient.user.name
    assert fhir_patient.identifier[0].value == str(patient.pk)
    patient_url = f"urn:uuid:{fhir_patient.id}"

    (episode,) = resources["EpisodeOfCare"]
    assert episode.status == "active"
    assert str(episode.period.start) == start.isoformat()
    assert episode.patient.reference == patient_url

    entries = list(DiaryEntry.objects.filter(patient=patient, date__gte=start).order_by("date"))
    observations = resources["Observation"]
    assert len(observations) == len(entries) == 42
    for observation, entry in zip(observations, entries, strict=True):
        coding = observation.code.coding[0]
        assert (coding.system, coding.code) == ("http://loinc.org", "72514-3")
        assert observation.valueInteger == entry.morning_pain
        assert str(observation.effectiveDateTime) == entry.date.isoformat()
        assert observation.subject.reference == patient_url
        assert observation.status == "final"
        assert observation.bodySite is None  # one heel: no body site

    responses = QuestionnaireResponse.objects.filter(patient=patient).order_by("due_on")
    fhir_responses = resources["QuestionnaireResponse"]
    assert len(fhir_responses) == responses.count() == 2
    for fhir_response, response in zip(fhir_responses, responses, strict=True):
        assert fhir_response.questionnaire == "https://haelapp.dk/fhir/Questionnaire/psfs|1"
        assert fhir_response.status == "completed"
        assert fhir_response.subject.reference == patient_url
        answers = {item.linkId: item.answer[0] for item in fhir_response.item}
        assert answers["rating_1"].valueInteger == response.answers["rating_1"]
        assert answers["activity_1"].valueString == response.answers["activity_1"]
        # Our own Danish wording: tagged as not a validated translation.
        assert fhir_response.meta.tag[0].code == "not-validated-translation"

    programmes = list(Programme.objects.filter(patient=patient).order_by("starts_on"))
    plans = resources["CarePlan"]
    assert len(plans) == len(programmes) == 2
    assert [p.status for p in plans] == ["completed", "active"]
    assert plans[1].replaces[0].reference == f"urn:uuid:{plans[0].id}"
    for plan, programme in zip(plans, programmes, strict=True):
        assert plan.title == programme.name
        assert plan.subject.reference == patient_url
        assert plan.supportingInfo[0].reference == f"urn:uuid:{episode.id}"
        slugs = [a.detail.code.coding[0].code for a in plan.activity]
        assert slugs == [item.exercise.slug for item in programme.items.order_by("position", "pk")]
    # Every reference points into the Bundle.
    for resource in [*observations, *fhir_responses, *plans]:
        assert resource.subject.reference in full_urls


def test_physio_export_parses_and_matches_the_data(client_for, physio, patient, history):
    with time_machine.travel(NOW, tick=False):
        response = client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/fhir/")
    check_bundle(parsed(response), patient, history)
    assert AccessRecord.objects.filter(patient=patient, what="fhir", actor=physio.user).count() == 1


def test_patient_export_as_fhir_is_the_same_bundle(client_for, physio, patient, history):
    with time_machine.travel(NOW, tick=False):
        own = parsed(client_for(patient.user).get("/api/v1/export/?as=fhir"))
        physios = parsed(client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/fhir/"))
    check_bundle(own, patient, history)
    # The same resources with the same ids: a second export can be matched with the first.
    assert [e.fullUrl for e in own.entry] == [e.fullUrl for e in physios.entry]
    assert not AccessRecord.objects.filter(patient=patient, what="fhir", actor=patient.user)


def test_both_heels_give_an_observation_per_heel_with_a_body_site(
    client_for, physio, patient, history
):
    from care.models import Episode

    Episode.objects.filter(patient=patient).update(heel_left=True, heel_right=True)
    day = DiaryEntry.objects.filter(patient=patient).order_by("date").first()
    DiaryEntry.objects.filter(pk=day.pk).update(morning_pain_other=2)
    with time_machine.travel(NOW, tick=False):
        bundle = parsed(client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/fhir/"))
    on_day = [
        o
        for o in by_type(bundle)["Observation"]
        if str(o.effectiveDateTime) == day.date.isoformat()
    ]
    assert len(on_day) == 2
    sites = {o.bodySite.coding[0].code: o.valueInteger for o in on_day}
    assert sites == {
        "76853006:272741003=7771000": day.morning_pain,  # left heel
        "76853006:272741003=24028007": 2,  # right heel
    }
    assert all(o.bodySite.coding[0].system == "http://snomed.info/sct" for o in on_day)


def test_fhir_of_someone_else_is_404_or_refused(client_for, api, patient, history):
    url = f"/api/v1/patients/{patient.pk}/fhir/"
    assert client_for(PhysioFactory().user).get(url).status_code == 404
    assert client_for(PhysioFactory(clinic=patient.clinic).user).get(url).status_code == 404
    assert client_for(PatientFactory().user).get(url).status_code == 403
    assert api.get(url).status_code in (401, 403)
    assert api.get("/api/v1/export/?as=fhir").status_code in (401, 403)
    assert not AccessRecord.objects.filter(patient=patient, what="fhir").exists()


def test_without_an_episode_the_fhir_export_is_404(client_for, physio, patient):
    assert client_for(patient.user).get("/api/v1/export/?as=fhir").status_code == 404
    assert client_for(physio.user).get(f"/api/v1/patients/{patient.pk}/fhir/").status_code == 404


def test_unknown_export_format_names_as(client_for, patient):
    response = client_for(patient.user).get("/api/v1/export/?as=hl7")
    assert response.status_code == 400 and "as" in response.json()
