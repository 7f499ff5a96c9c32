"""progress/sql.py, the app's hand-written SQL: the windowed diary read gives the same answer
as the ORM reading of the same windows (on SQLite and on PostgreSQL), and the removal of the
triggers an earlier migration installed on PostgreSQL removes them."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest

from diary.models import DiaryEntry
from progress import sql

from .factories import PatientFactory, diary_series


def _orm_windows(windows):
    """The same read through the ORM: one condition per patient and window, the worse heel of
    each day (Greatest of the two, the other heel's missing value read as the first's)."""
    condition = Q(pk__in=[])
    for pk, (base_first, base_last, recent_first) in windows.items():
        condition |= Q(patient_id=pk, date__range=(base_first, base_last))
        condition |= Q(patient_id=pk, date__gte=recent_first)
    pains = {pk: {} for pk in windows}
    worse = Greatest("morning_pain", Coalesce("morning_pain_other", "morning_pain"))
    for patient_id, day, pain in (
        DiaryEntry.objects.filter(condition)
        .annotate(worse=worse)
        .values_list("patient_id", "date", "worse")
    ):
        pains[patient_id][day] = pain
    return pains


@pytest.mark.parametrize(("seed", "per_query"), [(1, 2000), (2, 3)])
def test_window_entries_is_the_orm_reading(physio, seed, per_query, monkeypatch):
    monkeypatch.setattr(sql, "WINDOWS_PER_QUERY", per_query)
    rng = random.Random(seed)
    windows = {}
    for _ in range(12):
        patient = PatientFactory(physio=physio)
        today = patient.user.local_today()
        days = rng.randint(0, 120)
        first = today - timedelta(days=days)
        diary_series(
            patient,
            first,
            [rng.randint(0, 10) if rng.random() < 0.8 else None for _ in range(days + 1)],
        )
        start = first + timedelta(days=rng.randint(-5, max(0, days - 5)))
        # Baseline and recent windows apart, touching or overlapping; one empty.
        recent_first = today - timedelta(days=rng.choice([13, 13, 60, 200]))
        windows[patient.pk] = (start, start + timedelta(days=rng.choice([9, -1])), recent_first)
    windows[PatientFactory(physio=physio).pk] = (today, today, today)  # no diary at all
    # A third of the patients log both heels, the second sometimes higher, sometimes lower.
    for pk in list(windows)[::3]:
        DiaryEntry.objects.filter(patient_id=pk).update(morning_pain_other=10 - F("morning_pain"))
    expected = _orm_windows(windows)
    assert sum(len(pains) for pains in expected.values()) > 100  # enough to compare
    assert sql.window_entries(windows) == expected
    both = [pk for pk in list(windows)[::3] if expected[pk]]
    assert any(pain > 5 for pk in both for pain in expected[pk].values())
    assert all(pain >= 5 for pk in both for pain in expected[pk].values())
    assert sql.window_entries({}) == {}


@pytest.mark.postgres
def test_the_old_triggers_are_dropped_where_they_exist(db):
    """A database migrated before December 2026 has the triggers of the old 0003; migration
    0004 drops them (and a fresh one, which never had them, is left alone)."""
    name = "summary_forget_diary_diaryentry"
    with connection.cursor() as cursor:
        # The shape of an old trigger: a function and a row trigger on the diary.
        cursor.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RETURN NULL; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER {name} AFTER INSERT ON diary_diaryentry FOR EACH ROW "
            f"EXECUTE FUNCTION {name}()"
        )
    with connection.schema_editor() as editor:
        sql.drop_old_summary_triggers(None, editor)
        sql.drop_old_summary_triggers(None, editor)  # nothing left: no error either
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'summary_forget_%%'")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'summary_forget_%%'")
        assert cursor.fetchone() == (0,)
