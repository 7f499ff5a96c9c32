"""What `GET /progress/` answers (api.md): the assessment, the advice that applies, adherence."""

from datetime import date
from typing import NamedTuple

from django.db.models import QuerySet

from accounts.access import patients_visible_to
from accounts.models import PatientProfile, User
from diary.red_flags import stored_advice
from diary.selectors import (
    checkin_due,
    checkins_recent,
    red_flagged_patient_ids,
    unacknowledged_red_flag,
)
from exercises.selectors import adherence_by_patient, todays_plan
from outcomes.selectors import waiting_questionnaires

from .assessment import RULE_VERSION, Assessment
from .cache import list_values
from .chart import summary_sentence
from .explain import rule_sentences, status_help
from .selectors import (
    FLAG_QUESTIONNAIRE_DUE,
    FLAG_QUESTIONNAIRE_OVERDUE,
    FLAG_RED_FLAG,
    Clock,
    Rules,
    assessment_clocks,
    patient_assessment,
    patient_rules,
    programme_changes,
)


def advice_payload(assessment: Assessment, patient: PatientProfile) -> dict | None:
    """A red flag the patient has not yet acknowledged outranks the diary-based advice."""
    checkin = unacknowledged_red_flag(patient)
    # From the stored flags, legacy codes included (diary.red_flags.LEGACY).
    advice = checkin and stored_advice(checkin.red_flags, has_diabetes=patient.has_diabetes)
    if advice is not None:
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


class Assessed(NamedTuple):
    """A patient's assessment on their local date, with the episode clock and the rules it was
    made on, and the programme changes its chart marks: what the progress payload and the
    Progress page's chart both read, each once."""

    today: date
    clock: Clock
    rules: Rules
    assessment: Assessment
    programme_changes: list[tuple[date, str]]


def assessed(patient: PatientProfile) -> Assessed:
    today = patient.user.local_today()
    clock = assessment_clocks([patient])[patient.pk]
    rules = patient_rules([patient])[patient.pk]
    return Assessed(
        today,
        clock,
        rules,
        patient_assessment(patient, today, clock=clock, rules=rules),
        programme_changes(patient, clock.start, today),
    )


def progress_payload(patient: PatientProfile, done: Assessed | None = None) -> dict:
    """`done`: the assessment if the caller has it already (the Progress page draws its chart
    from the same one)."""
    done = done or assessed(patient)
    clock, assessment = done.clock, done.assessment
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
        "episode_start": clock.start,
        "programme_changes": [
            {"date": starts_on, "name": name} for starts_on, name in done.programme_changes
        ],
        # The rule in words, from the thresholds and review weeks this patient's rule uses.
        "status_help": str(
            status_help(assessment.status, assessment.thresholds, assessment.review_weeks)
        ),
        "explanation": [
            str(sentence)
            for sentence in rule_sentences(assessment.thresholds, assessment.review_weeks)
        ],
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
    due, overdue = waiting_questionnaires(among, {p.pk: p.user.local_today() for p in patients})
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
        if patient.pk in overdue:  # ... the questionnaires last
            row["flags"] = [*row["flags"], FLAG_QUESTIONNAIRE_OVERDUE]
        elif patient.pk in due:
            row["flags"] = [*row["flags"], FLAG_QUESTIONNAIRE_DUE]
        rows.append(row)
    return rows


def patient_list(
    *, viewer: User, status: str | None = None, flag: str | None = None
) -> tuple[list[dict], list[PatientProfile]]:
    """The physio's list of the patients `viewer` may see, by name, only the rows with this
    status and flag when given; and the patients those rows show (whose reading is recorded)."""
    # The rows need the patients' users only: not also their clinics and physios (which
    # made loading a thousand patients take three times as long).
    visible = patients_visible_to(viewer).select_related(None).select_related("user")
    patients = list(visible.order_by("user__name", "pk"))
    rows = [
        row
        for row in patient_list_rows(patients, scope=visible)
        if (status is None or row["status"] == status) and (flag is None or flag in row["flags"])
    ]
    shown = {row["id"] for row in rows}
    return rows, [patient for patient in patients if patient.pk in shown]


def patient_detail(patient: PatientProfile) -> dict:
    """What `GET /patients/{id}/` shows the physio (api.md): the profile and the assessment
    settings, today's plan of the active programme (None without one), the progress and the
    five latest check-ins."""
    settings_row = getattr(patient, "assessment_settings", None)
    return {
        "id": patient.pk,
        "name": patient.user.name,
        "email": patient.user.email,
        "condition": patient.condition,
        "timezone": patient.user.timezone,
        "language": patient.user.language,
        "baseline_override": settings_row.baseline_override if settings_row else None,
        "review_weeks_override": settings_row.review_weeks if settings_row else None,
        "programme": todays_plan(patient),
        "progress": progress_payload(patient),
        "recent_checkins": list(checkins_recent(patient=patient, limit=5)),
    }
