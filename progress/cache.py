"""What progress computes from a patient's data, kept in Django's cache (`CACHE_URL`; Redis in
production) under keys made of everything it is computed from, so that a cached value is
never older than the data: the physio list's row of each patient, and the progress chart.

A key holds the patient's `data_version` (raised by every service that writes what the
assessment reads: accounts.services.patient_data_changed; the episode services of care, which
open and close episodes and record reviews, call it too, so the episode's start and its
records are covered), their local date, the day they joined in their own time zone (day 1
without an episode), their rules (thresholds and review
weeks, the clinic's or their own: part of the key rather than a version, so that a change in
the admin needs no code of its own) and the version of the rule and of what is stored. After a
write, or at the patient's midnight, the key is another one and the value is computed afresh;
old values are simply never asked for again and expire. Nothing is stored in the database, and
both databases run the same code.

The red-flag flag is never cached: it expires with time, not with a write (diary.selectors).

If the cache fails, everything is computed, as without it: the list and the chart must not
depend on Redis being up.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import PatientProfile
from exercises.selectors import adherence_by_patient

from .assessment import RULE_VERSION
from .chart import render_chart
from .selectors import (
    Rules,
    assessment_clocks,
    patient_assessment,
    patient_rules,
    patient_summaries,
    programme_changes,
)

logger = logging.getLogger(__name__)

# Raise when what a cached list row holds, or how the chart is drawn, changes (the rule's
# own changes raise assessment.RULE_VERSION).
LIST_FORMAT = 1
CHART_FORMAT = 2  # 2: programme changes and the second heel drawn

# Every key ends with the patient's local date, so nothing is asked for after a day. A chart is
# tens of kilobytes and is mostly asked for again soon, by the patient or their physio.
LIST_SECONDS = 24 * 3600
CHART_SECONDS = 3600

# The list's values, in the order the list shows them (api.md).
FIELDS = ("week", "last_entry_on", "current", "baseline", "status", "adherence_14d", "flags")


def data_digest(patient: PatientProfile, today: date, rules: Rules, *extra: object) -> str:
    """A short digest of everything a value about `patient` on `today` is computed from;
    `extra`: what else it depends on (a language)."""
    joined = patient.created_at.astimezone(patient.user.tz).date()
    text = repr((RULE_VERSION, patient.pk, patient.data_version, today, joined, rules, *extra))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def compute_rows(
    patients: list[PatientProfile],
    todays: dict[int, date],
    rules: dict[int, Rules],
    scope: QuerySet | None = None,
) -> dict[int, dict]:
    """Each patient's list values (`FIELDS`, flags without the red flag), from the rule,
    without the cache."""
    adherence = adherence_by_patient(patients, todays)
    return {
        summary.patient.pk: {
            "week": summary.week,
            "last_entry_on": summary.last_entry_on,
            "current": summary.assessment.current,
            "baseline": summary.assessment.baseline,
            "status": summary.assessment.status,
            "adherence_14d": adherence[summary.patient.pk],
            "flags": summary.flags,
        }
        for summary in patient_summaries(patients, set(), scope=scope, todays=todays, rules=rules)
    }


def list_values(patients: list[PatientProfile], scope: QuerySet | None = None) -> dict[int, dict]:
    """`compute_rows` for these patients, from the cache where it holds them. A fixed number
    of queries whatever the number of patients: the rules; and if any value is missing,
    `compute_rows`'s for those. `patients` must have been loaded in this request, with their
    users (their `data_version` is what the keys hold); `scope`: the query they came from
    (see selectors.patient_summaries)."""
    if not patients:
        return {}
    among = [p.pk for p in patients] if scope is None else scope.values("pk")
    todays = {p.pk: p.user.local_today() for p in patients}
    rules = patient_rules(patients, among)
    keys = {
        p.pk: f"progress:list:{LIST_FORMAT}:{p.pk}:{data_digest(p, todays[p.pk], rules[p.pk])}"
        for p in patients
    }
    found = _get_many(list(keys.values()))
    values = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [p for p in patients if p.pk not in values]
    if missing:
        # All missing (the first list of the day): the patients' own query selects them.
        computed = compute_rows(
            missing, todays, rules, scope if len(missing) == len(patients) else None
        )
        _set_many({keys[pk]: row for pk, row in computed.items()}, LIST_SECONDS)
        values.update(computed)
    return values


class Chart:
    """A patient's progress chart in one language: its ETag (from the rules, one query) and,
    if the client does not have it yet, the SVG (from the cache, or drawn).

    `page`: the Progress page's own chart instead of the API's, for a window of dates and a
    chosen day (first, last, selected), which are part of its key. `rules`: the patient's,
    if the caller has them (`patient_rules`)."""

    def __init__(
        self,
        patient: PatientProfile,
        language: str,
        page: tuple | None = None,
        rules: Rules | None = None,
    ):
        self.patient, self.language = patient, language
        self.today = patient.user.local_today()
        self.rules = rules or patient_rules([patient])[patient.pk]
        digest = data_digest(patient, self.today, self.rules, language, CHART_FORMAT, page)
        kind = "page-chart" if page else "chart"
        self.key = f"progress:{kind}:{patient.pk}:{digest}"
        # Weak: pygal gives each drawing its own element ids, so two drawings of the same data
        # are equivalent, not byte for byte the same.
        self.etag = f'W/"{digest}"'

    def svg(self, draw: Callable[[], str] | None = None) -> str:
        """The SVG from the cache, else drawn: by `draw` (the page's chart, from the
        assessment the page has made already), else the API's chart from the rule."""
        found = _get_many([self.key])
        if self.key in found:
            return found[self.key]
        if draw is not None:
            svg = draw()
        else:
            clock = assessment_clocks([self.patient])[self.patient.pk]
            svg = render_chart(
                patient_assessment(self.patient, self.today, clock=clock, rules=self.rules),
                language=self.language,
                episode_start=clock.start,
                programme_changes=programme_changes(self.patient, clock.start, self.today),
            )
        _set_many({self.key: svg}, CHART_SECONDS)
        return svg


def _get_many(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except Exception:  # each cache backend raises its own errors
        logger.warning("progress: the cache is unavailable, computing", exc_info=True)
        return {}


def _set_many(values: dict, seconds: int) -> None:
    if not values:
        return
    try:
        cache.set_many(values, timeout=seconds)
    except Exception:  # each cache backend raises its own errors
        logger.warning("progress: the cache is unavailable, not storing", exc_info=True)
