"""Checking and scoring answers: pure functions of the instrument and the answers.

Answers are a flat object, item id -> value: a whole number for ratings and choices, true/false
for yes/no, text for PSFS activity names, and "na" for an FFI item that does not apply.

Scores (what `score` returns and QuestionnaireResponse.scores stores):

- psfs: {"mean": 0-10 (1 decimal), "ratings": {"1": n, ...}} - the mean of the rated activities
  (Stratford 1995: "the PSFS score is the mean of the activity scores"); higher is better.
- groc: {"change": -3..3, "improved": bool} - improved = +2 or +3 (Riel 2019's anchor).
- pass: {"acceptable": bool}.
- ffi: {"pain": 0-100 or null, "disability": 0-100 or null, "pain_items": n,
  "disability_items": n} - higher is worse. Each subscale = sum of the item scores of the
  items answered / (items answered x 10) x 100 (Budiman-Mak 1991: the subscale total divided by
  the maximum for the items the patient marked applicable, times 100). Items answered "does not
  apply" are left out of both sums. A subscale with fewer than half of its items answered
  (fewer than 5 of 9) is not scored (null): a score from a handful of items is not comparable
  with one from all nine. This is the rule reported with the FFI for items marked not
  applicable (more than half not applicable: subscale not computed) [R: check the wording
  against Budiman-Mak 1991 before release].

Scores are rounded half up to one decimal, as the assessment's numbers are.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .instruments import (
    CHOICE,
    NOT_APPLICABLE,
    PSFS_ACTIVITIES,
    RATING,
    TEXT,
    YES_NO,
    Instrument,
)

FFI_MIN_ANSWERED_FRACTION = Decimal(1) / 2


def _round(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- checking -------------------------------------------------------------------------------


def check_answers(
    instrument: Instrument,
    answers: Mapping,
    *,
    submit: bool,
    activities: Mapping[str, str] | None = None,
) -> dict[str, list[str]]:
    """Errors by item id (empty if the answers are acceptable). A draft may leave anything out;
    what it gives must be valid. On submit every required item must be answered.

    `activities` (PSFS after baseline): the activity names fixed at baseline, by item id; the
    patient rates those activities and cannot rename them or add others."""
    if not isinstance(answers, Mapping):
        return {"answers": [_("Send the answers as an object of item and answer.")]}
    errors: dict[str, list[str]] = {}
    known = {item.id for item in instrument.items}
    for key in answers:
        if key not in known:
            errors[str(key)] = [_("This is not a question of this questionnaire.")]
    for item in instrument.items:
        present = item.id in answers and answers[item.id] not in (None, "")
        value = answers.get(item.id)
        if activities is not None and item.kind == TEXT:
            if present and value != activities.get(item.id):
                errors[item.id] = [_("The activities were chosen at the start and stay the same.")]
            continue
        if not present:
            continue
        if item.kind == RATING:
            if value == NOT_APPLICABLE and item.not_applicable:
                continue
            if not _is_whole(value) or not item.minimum <= value <= item.maximum:
                errors[item.id] = [
                    _("Choose a whole number from %(low)d to %(high)d.")
                    % {"low": item.minimum, "high": item.maximum}
                ]
        elif item.kind == CHOICE:
            if not _is_whole(value) or value not in {v for v, _label in item.choices}:
                errors[item.id] = [_("Choose one of the answers given.")]
        elif item.kind == YES_NO:
            if not isinstance(value, bool):
                errors[item.id] = [_("Answer yes or no.")]
        elif item.kind == TEXT:
            if not isinstance(value, str) or not value.strip():
                errors[item.id] = [_("Write the activity in words.")]
            elif len(value) > item.max_length:
                errors[item.id] = [
                    _("Use at most %(count)d characters.") % {"count": item.max_length}
                ]
    if instrument.code == "psfs":
        _check_psfs_pairs(answers, errors, activities, submit)
    if submit:
        for item in _required(instrument, activities):
            if item.id not in errors and answers.get(item.id) in (None, ""):
                errors[item.id] = [_("This question needs an answer before you send.")]
    return errors


def _required(instrument: Instrument, activities: Mapping[str, str] | None):
    if instrument.code != "psfs" or activities is None:
        return [item for item in instrument.items if item.required]
    # After baseline: a rating for each activity named then.
    return [
        item
        for item in instrument.items
        if item.kind == RATING and f"activity_{item.id.split('_')[1]}" in activities
    ]


def _check_psfs_pairs(answers, errors, activities, submit) -> None:
    """An activity needs its rating and a rating its activity (the name given now, or the one
    fixed at baseline)."""
    names = activities if activities is not None else answers
    for n in range(1, PSFS_ACTIVITIES + 1):
        activity, rating = f"activity_{n}", f"rating_{n}"
        named = names.get(activity) not in (None, "")
        rated = answers.get(rating) not in (None, "")
        if rated and not named and rating not in errors:
            errors[rating] = [_("Name the activity before rating it.")]
        if submit and named and not rated and rating not in errors:
            errors[rating] = [_("This question needs an answer before you send.")]


# --- scoring --------------------------------------------------------------------------------


def score(instrument: Instrument, answers: Mapping) -> dict:
    """The scores of complete, checked answers (see the module docstring)."""
    return SCORERS[instrument.code](answers)


def psfs_score(answers: Mapping) -> dict:
    ratings = {
        str(n): answers[f"rating_{n}"]
        for n in range(1, PSFS_ACTIVITIES + 1)
        if _is_whole(answers.get(f"rating_{n}"))
    }
    mean = _round(Decimal(sum(ratings.values())) / len(ratings)) if ratings else None
    return {"mean": mean, "ratings": ratings}


def groc_score(answers: Mapping) -> dict:
    change = answers["change"]
    return {"change": change, "improved": change >= 2}


def pass_score(answers: Mapping) -> dict:
    return {"acceptable": bool(answers["acceptable"])}


def ffi_subscale(values: list) -> tuple[float | None, int]:
    """(score 0-100 or None, items answered) of one subscale's answers; see the module
    docstring for the rule."""
    answered = [v for v in values if _is_whole(v)]
    if not values or Decimal(len(answered)) < Decimal(len(values)) * FFI_MIN_ANSWERED_FRACTION:
        return None, len(answered)
    return _round(Decimal(sum(answered)) / (len(answered) * 10) * 100), len(answered)


def ffi_score(answers: Mapping) -> dict:
    from .instruments import FFI

    result = {}
    for subscale in ("pain", "disability"):
        values = [answers.get(i.id) for i in FFI.items if i.subscale == subscale]
        result[subscale], result[f"{subscale}_items"] = ffi_subscale(values)
    return result


SCORERS = {"psfs": psfs_score, "groc": groc_score, "pass": pass_score, "ffi": ffi_score}


# --- change against baseline ----------------------------------------------------------------


def change_against(instrument: Instrument, baseline: Mapping | None, scores: Mapping) -> dict:
    """For each measure with an MCID: {"baseline", "value", "change", "mcid", "improved_by_mcid",
    "worse_by_mcid"}. Change is value - baseline; an improvement is a rise where higher is better
    (PSFS) and a fall where higher is worse (FFI). Missing numbers give null, never a verdict."""
    result = {}
    for measure, (mcid, better) in instrument.mcid.items():
        value = scores.get(measure)
        start = baseline.get(measure) if baseline else None
        if value is None or start is None:
            change = None
        else:
            change = _round(Decimal(str(value)) - Decimal(str(start)))
        result[measure] = {
            "baseline": start,
            "value": value,
            "change": change,
            "mcid": mcid,
            "improved_by_mcid": change is not None and change * better >= mcid,
            "worse_by_mcid": change is not None and -change * better >= mcid,
        }
    return result
