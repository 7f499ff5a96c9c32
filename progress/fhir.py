"""The FHIR export of a patient's current episode (issue 15, item 5): a `Bundle` of type
`collection`, for the clinic's own journal and as a format of the patient's own export.

Built with fhir.resources' models, which validate every resource as it is made (a wrong type,
code or cardinality raises). fhir.resources 8 models FHIR R5 by default and R4B (4.3.0) in a
module of its own; it has no R4 (4.0.1) module. The resources used here (Patient,
EpisodeOfCare, Observation, QuestionnaireResponse, CarePlan) and the fields used of them are
the same in R4 and R4B, so the Bundle is valid R4 as api.md asks; `meta.profile` is not set.

What is in it:

- `Patient`: minimal, the local id as an identifier and the name.
- `EpisodeOfCare`: the episode's period and status, its condition as the type's text.
- `Observation` per morning-pain entry: LOINC 72514-3 (pain severity 0-10, reported),
  `valueInteger`, `effectiveDateTime` = the patient's local date (a date, no time: the diary is
  by day). When the patient logs both heels, each heel is an Observation of its own with the
  heel as `bodySite` (SNOMED CT 76853006 |Heel structure| refined by laterality 272741003 =
  7771000 |Left| or 24028007 |Right|, a post-coordinated expression). With both heels,
  `morning_pain` is the left heel and `morning_pain_other` the right (the diary's rule).
- `QuestionnaireResponse` per answered questionnaire, with its `Questionnaire` canonical
  (outcomes.instruments: URL|version); a wording that is not a published validated
  translation carries the tag `not-validated-translation`.
- `CarePlan` per programme of the episode, each item an activity with its dosage in words and
  its timing; a later programme `replaces` the earlier one (a change of programme).

Resource ids are name-based UUIDs (uuid5) of what they stand for, so that two exports of the
same data give the same ids and references (`urn:uuid:` full URLs, as a collection allows).
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.episodeofcare import EpisodeOfCare
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.meta import Meta
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.timing import Timing, TimingRepeat

from accounts.models import Condition

from .record import Record
from .report import dosage_text

CONTENT_TYPE = "application/fhir+json"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
HEEL = "76853006"
# SNOMED CT expressions: heel structure, laterality left / right.
HEEL_SITES = {
    "left": (f"{HEEL}:272741003=7771000", "Left heel"),
    "right": (f"{HEEL}:272741003=24028007", "Right heel"),
}

BASE = "https://haelapp.dk/fhir"
PATIENT_ID_SYSTEM = f"{BASE}/NamingSystem/patient-id"
EXERCISE_SYSTEM = f"{BASE}/CodeSystem/exercise"
WORDING_SYSTEM = f"{BASE}/CodeSystem/wording"
NOT_VALIDATED = "not-validated-translation"
# The namespace of the resource ids (uuid5): fixed, so the ids do not change between exports.
NAMESPACE = uuid.UUID("6c1b7f0e-2f0a-5d39-9f6e-8a4d2b1c0e57")


def resource_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def _full_url(resource_id_: str) -> str:
    return f"urn:uuid:{resource_id_}"


def _ref(resource) -> Reference:
    return Reference(reference=_full_url(resource.id))


def fhir_bundle(record: Record) -> Bundle:
    """The Bundle of `record` (progress.record), texts in the active language."""
    patient = record.patient
    episode = record.episode
    resources = []

    fhir_patient = Patient(
        id=resource_id("patient", patient.pk),
        identifier=[Identifier(system=PATIENT_ID_SYSTEM, value=str(patient.pk))],
        name=[HumanName(text=record.name)],
    )
    resources.append(fhir_patient)
    subject = _ref(fhir_patient)

    condition_label = (
        str(Condition(episode.condition).label)
        if episode.condition in Condition.values
        else episode.condition
    )
    fhir_episode = EpisodeOfCare(
        id=resource_id("episode", patient.pk, episode.id or "", episode.starts_on),
        status="finished" if episode.closed_on else "active",
        type=[CodeableConcept(text=condition_label)],
        patient=subject,
        period=Period(
            start=episode.starts_on.isoformat(),
            end=episode.closed_on.isoformat() if episode.closed_on else None,
        ),
    )
    resources.append(fhir_episode)

    both_heels = len(episode.heels) == 2
    for entry in record.entries:
        if both_heels and entry.morning_pain_other is not None:
            pains = [("left", entry.morning_pain), ("right", entry.morning_pain_other)]
        else:
            pains = [(None, entry.morning_pain)]
        for side, pain in pains:
            resources.append(_pain_observation(patient.pk, subject, entry.date, side, pain))

    for q in record.questionnaires:
        resources.append(_questionnaire_response(q, subject))

    previous = None
    for programme in record.programmes:
        plan = _care_plan(programme, subject, fhir_episode, previous)
        resources.append(plan)
        previous = plan

    return Bundle(
        type="collection",
        id=resource_id("bundle", patient.pk, episode.starts_on, record.today),
        entry=[BundleEntry(fullUrl=_full_url(r.id), resource=r) for r in resources],
    )


def bundle_json(record: Record) -> str:
    """The Bundle as FHIR JSON (no empty elements, as FHIR requires)."""
    return fhir_bundle(record).model_dump_json(exclude_none=True)


def _pain_observation(patient_pk, subject, day, side, pain) -> Observation:
    body_site = None
    if side is not None:
        code, display = HEEL_SITES[side]
        body_site = CodeableConcept(
            coding=[Coding(system=SNOMED, code=code, display=display)],
            text=_("left heel") if side == "left" else _("right heel"),
        )
    return Observation(
        id=resource_id("morning-pain", patient_pk, day, side or ""),
        status="final",
        category=[
            CodeableConcept(
                coding=[Coding(system=OBSERVATION_CATEGORY, code="survey", display="Survey")]
            )
        ],
        code=CodeableConcept(
            coding=[Coding(system=LOINC, code=PAIN_CODE, display=PAIN_DISPLAY)],
            text=_("Morning pain (0-10)"),
        ),
        subject=subject,
        effectiveDateTime=day.isoformat(),
        valueInteger=pain,
        bodySite=body_site,
    )


def _answer(value) -> QuestionnaireResponseItemAnswer | None:
    if isinstance(value, bool):
        return QuestionnaireResponseItemAnswer(valueBoolean=value)
    if isinstance(value, int):
        return QuestionnaireResponseItemAnswer(valueInteger=value)
    if isinstance(value, str) and value:
        return QuestionnaireResponseItemAnswer(valueString=value)
    return None


def _questionnaire_response(q, subject) -> QuestionnaireResponse:
    items = []
    for link_id, value in q.answers.items():
        answer = _answer(value)
        if answer is not None:
            items.append(QuestionnaireResponseItem(linkId=str(link_id), answer=[answer]))
    return QuestionnaireResponse(
        id=resource_id("questionnaire-response", q.id),
        meta=(
            None
            if q.validated_translation
            else Meta(
                tag=[
                    Coding(
                        system=WORDING_SYSTEM,
                        code=NOT_VALIDATED,
                        display="The wording is not a published validated translation",
                    )
                ]
            )
        ),
        language=q.language,
        questionnaire=q.canonical,
        status="completed",
        subject=subject,
        authored=q.submitted_at.isoformat(),
        item=items or None,
    )


def _timing(dosage: dict) -> Timing | None:
    times, every = dosage.get("times_per_day"), dosage.get("every_n_days")
    if not times and not every:
        return None
    return Timing(repeat=TimingRepeat(frequency=times or 1, period=every or 1, periodUnit="d"))


def _care_plan(programme, subject, episode, previous) -> CarePlan:
    activities = []
    for line in programme.items:
        activities.append(
            CarePlanActivity(
                detail=CarePlanActivityDetail(
                    status="in-progress" if programme.active else "completed",
                    code=CodeableConcept(
                        coding=[
                            Coding(
                                system=EXERCISE_SYSTEM,
                                code=line.exercise_slug,
                                display=line.exercise_name,
                            )
                        ],
                        text=line.exercise_name,
                    ),
                    description=dosage_text(line.dosage),
                    scheduledTiming=_timing(line.dosage),
                )
            )
        )
    return CarePlan(
        id=resource_id("programme", programme.id),
        status="active" if programme.active else "completed",
        intent="plan",
        title=programme.name,
        subject=subject,
        period=Period(
            start=programme.starts_on.isoformat(),
            end=programme.last_day.isoformat() if programme.last_day else None,
        ),
        supportingInfo=[_ref(episode)],
        replaces=[_ref(previous)] if previous is not None else None,
        activity=activities or None,
    )
