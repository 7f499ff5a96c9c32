"""Translated labels for codes the API returns (statuses, flags, conditions...), shared by the
templates and, through `json_script`, by the pages' scripts."""

from django.utils.translation import gettext_lazy as _

from accounts.models import AccessRecord, Condition
from exercises.models import Kind
from progress.assessment import (
    COLLECTING,
    DATA_ONLY,
    IMPROVING,
    NOT_ENOUGH_DATA,
    NOT_IMPROVING,
    WORSE,
)
from progress.explain import STATUS_HELP as EXPLAINED_STATUS_HELP
from progress.explain import status_help as explained_status_help
from progress.selectors import (
    FLAG_NO_ENTRIES,
    FLAG_NOT_IMPROVING,
    FLAG_QUESTIONNAIRE_DUE,
    FLAG_QUESTIONNAIRE_OVERDUE,
    FLAG_RED_FLAG,
    FLAG_WORSE,
)

STATUS = {
    COLLECTING: _("Collecting the first entries"),
    NOT_ENOUGH_DATA: _("Not enough entries in the last 7 days"),
    IMPROVING: _("Improving"),
    # Not "no improvement": until two weeks can be compared the pain may be higher than at the
    # start, and "worse" is always said as "higher than at the start" (clinical.md).
    NOT_IMPROVING: _("Not clearly lower than at the start"),
    WORSE: _("Higher than at the start"),
    DATA_ONLY: _("Numbers only"),
}

# The help under each status, formatted from the patient's thresholds (progress.explain).
STATUS_HELP = EXPLAINED_STATUS_HELP
status_help = explained_status_help


FLAGS = {
    FLAG_RED_FLAG: _("Red flag"),
    FLAG_WORSE: _("Higher than at the start"),
    # Shown while a review's advice is (also with a diary too thin to judge): a review is due.
    FLAG_NOT_IMPROVING: _("Review due"),
    FLAG_NO_ENTRIES: _("No entries for more than 4 days"),
    FLAG_QUESTIONNAIRE_OVERDUE: _("Questionnaire overdue"),
    FLAG_QUESTIONNAIRE_DUE: _("Questionnaire due"),
}

# A flag that only says again what the status says. The physio's list shows one badge per
# patient (static/js/physio.js): the most pressing flag, or the status when there is none, with
# the rest in words; a status repeated by the flag in the badge is left out of the words.
FLAG_REPEATS_STATUS = {FLAG_WORSE: WORSE}

URGENCY = {
    "none": _("No red flags"),
    "review": _("Tell own doctor (not urgent)"),
    "soon": _("Doctor within a few days"),
    "same_day": _("Same day"),
}

ACCESS_WHAT = {
    "diary": _("diary"),
    "progress": _("progress"),
    "checkins": _("check-ins"),
    "programme": _("programme"),
    "episode": _("episode of care"),
    "profile": _("profile"),
    "questionnaires": _("questionnaires"),
    "lessons": _("lessons"),
    "assessment_settings": _("starting point and review weeks"),
    "report": _("report"),
    "fhir": _("FHIR export"),
}

ROLE = {"physio": _("physiotherapist"), "staff": _("clinic staff"), "patient": _("patient")}


def js_labels() -> dict:
    return {
        "status": {k: str(v) for k, v in STATUS.items()},
        "flags": {k: str(v) for k, v in FLAGS.items()},
        "flag_repeats_status": FLAG_REPEATS_STATUS,
        "urgency": {k: str(v) for k, v in URGENCY.items()},
        "condition": {k: str(v) for k, v in Condition.choices},
        "kind": {k: str(v) for k, v in Kind.choices},
        "action": {k: str(v) for k, v in AccessRecord.Action.choices},
    }
