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
from progress.selectors import FLAG_NO_ENTRIES, FLAG_NOT_IMPROVING, FLAG_RED_FLAG, FLAG_WORSE

STATUS = {
    COLLECTING: _("Collecting the first entries"),
    NOT_ENOUGH_DATA: _("Not enough entries in the last 7 days"),
    IMPROVING: _("Improving"),
    NOT_IMPROVING: _("Not improving"),
    WORSE: _("Worse"),
    DATA_ONLY: _("Numbers only"),
}

STATUS_HELP = {
    COLLECTING: _(
        "The starting point is the average of your first week. Log your morning pain every "
        "day so it can be worked out."
    ),
    NOT_ENOUGH_DATA: _(
        "At least 4 entries in the last 7 days are needed before anything is said about how "
        "it is going."
    ),
    IMPROVING: _("Your morning pain is clearly lower than when you started."),
    NOT_IMPROVING: _("Your morning pain is not clearly lower than when you started."),
    WORSE: _("Your morning pain is clearly higher than when you started."),
    DATA_ONLY: _(
        "Your numbers are shown without conclusions, because your starting pain was low or "
        "is not known."
    ),
}

FLAGS = {
    FLAG_RED_FLAG: _("Red flag"),
    FLAG_WORSE: _("Worse"),
    FLAG_NOT_IMPROVING: _("Not improving"),
    FLAG_NO_ENTRIES: _("No entries for more than 4 days"),
}

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
}

ROLE = {"physio": _("physiotherapist"), "staff": _("clinic staff"), "patient": _("patient")}


def js_labels() -> dict:
    return {
        "status": {k: str(v) for k, v in STATUS.items()},
        "flags": {k: str(v) for k, v in FLAGS.items()},
        "urgency": {k: str(v) for k, v in URGENCY.items()},
        "condition": {k: str(v) for k, v in Condition.choices},
        "kind": {k: str(v) for k, v in Kind.choices},
        "action": {k: str(v) for k, v in AccessRecord.Action.choices},
    }
