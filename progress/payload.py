"""What `GET /progress/` answers (api.md): the assessment, the advice that applies, adherence."""

from django.db.models import QuerySet

from accounts.models import PatientProfile
from diary.red_flags import checkin_advice
from diary.selectors import checkin_due, red_flagged_patient_ids, unacknowledged_red_flag
from exercises.selectors import adherence_by_patient

from .assessment import RULE_VERSION, Assessment
from .cache import list_values
from .chart import summary_sentence
from .selectors import FLAG_RED_FLAG, patient_assessment


def advice_payload(assessment: Assessment, patient: PatientProfile) -> dict | None:
    """A red flag the patient has not yet acknowledged outranks the diary-based advice."""
    checkin = unacknowledged_red_flag(patient)
    if checkin is not None:
        advice = checkin_advice(dict.fromkeys(checkin.red_flags, True))
        return {
            "code": advice.code,
            "title": str(advice.title),
            "text": str(advice.text),
            "seek_care": advice.seek_care,
            "urgency": advice.urgency,
            "checkin_id": checkin.pk,
        }
    if assessment.advice is None:
        return None
    advice = assessment.advice
    return {
        "code": advice.code,
        "title": str(advice.title),
        "text": str(advice.text),
        "seek_care": advice.seek_care,
        "urgency": advice.urgency,
    }


def progress_payload(patient: PatientProfile) -> dict:
    assessment = patient_assessment(patient)
    return {
        "status": assessment.status,
        "week": assessment.week,
        "baseline": assessment.baseline,
        "baseline_source": assessment.baseline_source,
        "current": assessment.current,
        "change_points": assessment.change_points,
        "change_percent": assessment.change_percent,
        "target": assessment.target,
        "entries_last_7": assessment.entries_last_7,
        "advice": advice_payload(assessment, patient),
        "series": [point.__dict__ for point in assessment.series],
        "review_weeks": list(assessment.review_weeks),
        "adherence_14d": adherence_by_patient([patient])[patient.pk],
        "checkin_due": checkin_due(patient),
        "summary": summary_sentence(assessment),
        "rule_version": RULE_VERSION,
    }


def patient_list_rows(
    patients: list[PatientProfile], *, scope: QuerySet | None = None
) -> list[dict]:
    """The physio's list (api.md), one row per patient, in a fixed number of queries, from
    the cache where it holds the rows (progress.cache). `scope`: the query the patients came
    from (see progress.selectors.patient_summaries)."""
    among = [p.pk for p in patients] if scope is None else scope.values("pk")
    red_flagged = red_flagged_patient_ids(among)
    values = list_values(patients, scope)
    rows = []
    for patient in patients:
        row = {
            "id": patient.pk,
            "name": patient.user.name,
            "email": patient.user.email,
            "condition": patient.condition,
            **values[patient.pk],
        }
        if patient.pk in red_flagged:  # FLAGS order: the red flag first
            row["flags"] = [FLAG_RED_FLAG, *row["flags"]]
        rows.append(row)
    return rows
