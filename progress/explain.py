"""The rule in words for the patient's pages: the about page's explanation, the progress page's
and the help under each status. Every sentence is formatted from the thresholds and review
weeks in use (progress.assessment), never written with numbers of its own, so the text cannot
drift from what the rule does; tests/test_rule_texts.py changes a threshold and reads the text.

The sentences are lazy: they are formatted in the language active where they are shown.
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from .assessment import (
    COLLECTING,
    DATA_ONLY,
    DEFAULT_REVIEW_WEEKS,
    IMPROVING,
    NOT_ENOUGH_DATA,
    NOT_IMPROVING,
    WEEK,
    WORSE,
    Thresholds,
    days_running_text,
    lazy_format,
)

DEFAULTS = Thresholds()  # frozen: one shared default is safe

# The help shown under each status; formatted by `status_help`.
STATUS_HELP = {
    COLLECTING: _(
        "The starting point is the average of your first week. Log your morning pain every "
        "day so it can be worked out."
    ),
    NOT_ENOUGH_DATA: _(
        "At least %(entries)s entries in the last 7 days are needed before anything is said "
        "about how it is going."
    ),
    IMPROVING: _("Your morning pain is clearly lower than at the start."),
    NOT_IMPROVING: _("Your morning pain is not clearly lower than at the start."),
    WORSE: _("Your morning pain has been higher than at the start for two weeks in a row."),
    DATA_ONLY: _(
        "Your numbers are shown without conclusions, because your starting pain was low or "
        "is not known."
    ),
}


def first_worse_day(thresholds: Thresholds) -> int:
    """The first episode day on which the rule can say "higher than at the start"."""
    return max(2 * WEEK, WEEK * (thresholds.worse_from_week - 1) + 1)


def _values(thresholds: Thresholds, review_weeks: Sequence[int]) -> dict:
    t, weeks = thresholds, tuple(review_weeks)
    return {
        "entries": t.window_min_entries,
        "baseline_entries": t.baseline_min_entries,
        "max_day": max(WEEK, t.baseline_max_day),
        "improve_points": t.improve_points,
        "improve_percent": t.improve_percent,
        "worse_points": t.worse_points,
        "worse_percent": t.worse_percent,
        "worse_day": first_worse_day(t),
        "floor": t.baseline_floor,
        "load_points": t.load_rise_points,
        "running": days_running_text({"days": t.load_days_running}),
        "load_days": t.load_watch_days,
        "first": weeks[0],
        "last": weeks[-1],
    }


def status_help(
    status: str,
    thresholds: Thresholds = DEFAULTS,
    review_weeks: Sequence[int] = DEFAULT_REVIEW_WEEKS,
) -> str:
    """The help under a status, from these thresholds ("" for an unknown status)."""
    template = STATUS_HELP.get(status)
    if template is None:
        return ""
    return lazy_format(template, _values(thresholds, review_weeks))


def rule_sentences(
    thresholds: Thresholds = DEFAULTS, review_weeks: Sequence[int] = DEFAULT_REVIEW_WEEKS
) -> list[str]:
    """How the advice is worked out, one sentence (or two) per point, from these thresholds
    and review weeks: the about page's list and the progress page's explanation."""
    values = _values(thresholds, review_weeks)
    if values["first"] == values["last"]:
        reviews = _(
            "If your morning pain is not clearly lower by the end of week %(last)s, the app "
            "suggests a new assessment by your doctor or physiotherapist. If your diary is too "
            "thin to tell, it suggests it anyway. The advice stays until your physiotherapist "
            "has recorded the outcome."
        )
    else:
        reviews = _(
            "If your morning pain is not clearly lower by the end of week %(first)s, the app "
            "suggests a review of your plan with your physiotherapist, and by the end of week "
            "%(last)s a new assessment by your doctor or physiotherapist. If your diary is too "
            "thin to tell, it suggests them anyway. Each piece of advice stays until your "
            "physiotherapist has recorded the review or its outcome."
        )
    templates = [
        _(
            "Day 1 is the start of your course of treatment with your physiotherapist. A new "
            "exercise programme does not move it."
        ),
        _(
            "Your starting point is the average of your morning pain in the first 7 days, with "
            "at least %(baseline_entries)s entries (if there are fewer, up to the first "
            "%(max_day)s days). Your physiotherapist can set it from your first consultation "
            "instead."
        ),
        _(
            "Your current level is the average of the last 7 days, when there are at least "
            "%(entries)s entries. With fewer, the app draws no conclusion."
        ),
        _(
            "Improving means at least %(improve_points)s points or %(improve_percent)s %% lower "
            "than the starting point."
        ),
        _(
            "Higher than at the start means at least %(worse_points)s points or "
            "%(worse_percent)s %% higher, in each of two weeks in a row. The app can say so "
            "from day %(worse_day)s, and then suggests contacting your physiotherapist."
        ),
        _(
            "If your starting point is %(floor)s or lower, the app shows your numbers without "
            "conclusions; only a rise still leads to advice."
        ),
        _("If you log both heels, the app uses the worse heel of each day."),
        reviews,
        _(
            "When an exercise moves up a stage and your morning pain is then at least "
            "%(load_points)s points higher than in the week before, %(running)s, within "
            "%(load_days)s days, the app suggests going back one stage and telling your "
            "physiotherapist."
        ),
    ]
    return [lazy_format(template, values) for template in templates]
