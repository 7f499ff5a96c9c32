"""Scores and changes in words, for the physio's patient page and the clinician report: one
wording in both (progress.report, web.views.physio)."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import PatientProfile

from .instruments import instrument, wording_language
from .selectors import history

NONE = "\u2013"  # an en dash: nothing to show


def number_text(value, places: int = 1) -> str:
    if value is None:
        return NONE
    return formats.number_format(Decimal(str(value)), decimal_pos=places, use_l10n=True)


def score_text(instrument: str, scores: dict) -> str:
    if instrument == "psfs":
        return _("mean %(value)s of 10") % {"value": number_text(scores.get("mean"))}
    if instrument == "ffi":
        return _("pain %(pain)s, disability %(disability)s (0-100)") % {
            "pain": number_text(scores.get("pain")),
            "disability": number_text(scores.get("disability")),
        }
    if instrument == "groc":
        change = scores.get("change")
        return f"{change:+d}" if isinstance(change, int) else NONE
    if instrument == "pass":
        return _("acceptable") if scores.get("acceptable") else _("not acceptable")
    return NONE


def _measure(name: str) -> str:
    return {"mean": _("mean"), "pain": _("pain"), "disability": _("disability")}.get(name, name)


def change_text(*, is_baseline: bool, change: dict) -> str:
    """The change against the episode's first answer, per measure, and whether it reaches the
    instrument's MCID (outcomes.instruments)."""
    if is_baseline:
        return _("first answer")
    parts = []
    for measure, values in change.items():
        if values.get("change") is None:
            continue
        text = f"{_measure(measure)} {number_text(values['change'])}"
        if values["change"] > 0:
            text = text.replace(" ", " +", 1)
        if values.get("improved_by_mcid"):
            text += " " + _("(better by at least the MCID)")
        elif values.get("worse_by_mcid"):
            text += " " + _("(worse by at least the MCID)")
        parts.append(text)
    return "; ".join(parts) or NONE


def history_in_words(patient: PatientProfile) -> list[dict]:
    """The patient's answered questionnaires for the physio's page, newest first: the title,
    the timepoint, the score and the change against the episode's first answer in words, and
    whether that change reaches the MCID either way."""
    rows = []
    for row in reversed(history(patient)):
        response, change = row["response"], row["change"]
        rows.append(
            {
                "title": instrument(response.instrument).title[wording_language(get_language())],
                "timepoint": response.get_timepoint_display(),
                "submitted_at": response.submitted_at,
                "score": score_text(response.instrument, response.scores),
                "change": change_text(is_baseline=row["is_baseline"], change=change),
                "improved": any(c.get("improved_by_mcid") for c in change.values()),
                "worse": any(c.get("worse_by_mcid") for c in change.values()),
            }
        )
    return rows
