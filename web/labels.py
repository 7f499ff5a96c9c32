"""Translated labels for codes the API returns (statuses, flags, conditions...), shared by the
templates and, through `json_script`, by the pages' scripts."""

from django.utils.translation import gettext_lazy as _

from accounts.models import AccessRecord, Condition
from exercises.models import Kind

STATUS = {
    "collecting": _("Collecting the first entries"),
    "not_enough_data": _("Not enough entries in the last 7 days"),
    "improving": _("Improving"),
    "not_improving": _("Not improving"),
    "worse": _("Worse"),
    "data_only": _("Numbers only"),
}

STATUS_HELP = {
    "collecting": _(
        "The starting point is the average of your first week. Log your morning pain every "
        "day so it can be worked out."
    ),
    "not_enough_data": _(
        "At least 4 entries in the last 7 days are needed before anything is said about how "
        "it is going."
    ),
    "improving": _("Your morning pain is clearly lower than when you started."),
    "not_improving": _("Your morning pain is not clearly lower than when you started."),
    "worse": _("Your morning pain is clearly higher than when you started."),
    "data_only": _(
        "Your numbers are shown without conclusions, because your starting pain was low or "
        "is not known."
    ),
}

FLAGS = {
    "red_flag": _("Red flag"),
    "worse": _("Worse"),
    "not_improving": _("Not improving"),
    "no_entries": _("No entries for more than 4 days"),
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
    "profile": _("profile"),
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
