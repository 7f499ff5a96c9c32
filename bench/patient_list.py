"""The physio's patient list (`GET /api/v1/patients/`) for caseloads of several sizes.

Run by bench/run.py inside Django against the benchmark database, with the cache it names
(`CACHE_URL`; Redis, as in production):
`python -m bench.patient_list --caseloads 10,300,1000 --days 365 --runs 20 --out FILE`.

Builds one clinic with a physio per caseload, all patients shaped alike: a programme from a
seeded template that started `--days` days ago, a diary entry on (nearly) every day since,
~70 % of the due exercise sessions ticked off, and weekly red-flag check-ins (a few answered
yes). Then times the list in-process with Django's test client logged in as each physio
(server time: middleware, view, queries, cache, serialisation; no HTTP or network) and counts
its queries, with every row in the cache, with some patients written since the last list
(their data version raised, as the write services do), and with nothing cached (the first
list of a day) (`WRITTEN`). Writes the figures as JSON to FILE.
"""

import argparse
import cProfile
import gc
import io
import json
import math
import pstats
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import django_setup

URL = "/api/v1/patients/"
SEED = 20261122

# The patient's story by position (number % 10), so that both practices hold every kind.
IMPROVING, FLAT, WORSE, GAP, STOPPED, LOW = "improving", "flat", "worse", "gap", "stopped", "low"
STORIES = [IMPROVING] * 4 + [FLAT, FLAT, WORSE, GAP, STOPPED, LOW]
# Conditions by position (number % 4) and the seeded template each gets.
CONDITIONS = ["plantar_fasciitis", "plantar_fasciitis", "heel_bursitis", "fat_pad"]
TEMPLATE_FOR = {
    "plantar_fasciitis": "haelspore-standard",
    "heel_bursitis": "haelbursitis",
    "fat_pad": "haelpudedefekt",
}
BATCH = 50  # patients per bulk insert


def say(message: str) -> None:
    print(f"  {message}", flush=True)


def pain_series(rng: random.Random, story: str, days: int) -> list[int | None]:
    """Morning pain for day 0 .. days-1 (None: not logged)."""
    start = rng.uniform(5.5, 8.0)
    values: list[int | None] = []
    for day in range(days):
        if story in (IMPROVING, GAP, STOPPED):
            level = max(start - day * rng.uniform(0.03, 0.06), rng.uniform(1.0, 2.5))
        elif story == WORSE:
            level = start if day < days - 21 else start + 3
        elif story == LOW:
            level = 1.5
        else:  # FLAT
            level = start
        pain = round(level + rng.choice((-1, 0, 0, 1)))
        values.append(min(10, max(0, pain)))
    if story == GAP:  # the last days not logged: the "no entries" flag
        values[-6:] = [None] * 6
    if story == STOPPED:  # gave up a month ago: older than the recent window the list reads
        values[-30:] = [None] * 30
    return values


def copy_rows(model, columns: list[str], rows: list[tuple]) -> int:
    """Load rows into the model's table with PostgreSQL's COPY: several times faster than
    bulk_create for the ~10^6 rows of a year of diaries and completions. `columns` are the
    attnames each row gives; every other field gets its default (auto_now fields: now), so a
    new NOT NULL column without a default fails loudly here rather than being skipped."""
    from django.db import connection
    from django.utils import timezone

    meta = model._meta
    given = [meta.get_field(name) for name in columns]
    now = timezone.now()
    rest = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    constants = tuple(
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    )
    names = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *rest])
    sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + constants)
    return len(rows)


def generate(caseloads: list[int], days: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from accounts.models import Clinic, PatientProfile, PhysioProfile, User
    from diary.models import CheckIn, DiaryEntry
    from exercises.models import Completion, Kind, ProgrammeItem, ProgrammeTemplate
    from exercises.schedule import is_due
    from exercises.services import programme_assign

    started = time.perf_counter()
    rng = random.Random(SEED)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")  # this session only: faster loading

    wanted = set(TEMPLATE_FOR.values())
    templates = {t.slug: t for t in ProgrammeTemplate.objects.filter(slug__in=wanted)}
    if not templates:
        raise SystemExit(f"none of the seeded templates {sorted(wanted)} exists")
    fallback = next(iter(templates.values()))

    clinic = Clinic.objects.create(name="Bench clinic", slug="bench-clinic")
    physios = {}
    for count in caseloads:
        key = f"caseload-{count}"
        user = User.objects.create(
            email=f"physio-{key}@bench.invalid",
            name=f"Physio {key}",
            password=make_password(None),
        )
        physios[key] = (PhysioProfile.objects.create(user=user, clinic=clinic), count)

    patients: list[tuple[PatientProfile, str, PhysioProfile]] = []
    for key, (physio, count) in physios.items():
        users = User.objects.bulk_create(
            User(
                email=f"{key}-{number:05d}@bench.invalid",
                name=f"Patient {key} {number:05d}",
                password=make_password(None),
            )
            for number in range(count)
        )
        profiles = PatientProfile.objects.bulk_create(
            PatientProfile(
                user=user, clinic=clinic, physio=physio, condition=CONDITIONS[number % 4]
            )
            for number, user in enumerate(users)
        )
        patients += [(p, STORIES[number % 10], physio) for number, p in enumerate(profiles)]
    today = patients[0][0].user.local_today()
    starts_on = today - timedelta(days=days - 1)
    joined = datetime.combine(starts_on - timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    PatientProfile.objects.filter(clinic=clinic).update(created_at=joined)
    say(f"{len(patients)} patients created ({time.perf_counter() - started:.0f} s)")

    for number, (patient, _story, physio) in enumerate(patients, start=1):
        programme_assign(
            physio=physio,
            patient=patient,
            starts_on=starts_on,
            template=templates.get(TEMPLATE_FOR[patient.condition], fallback),
        )
        if number % 250 == 0 or number == len(patients):
            say(f"programmes: {number}/{len(patients)} ({time.perf_counter() - started:.0f} s)")

    items: dict[int, list[tuple[int, int | None, int]]] = {}
    for item_id, patient_id, every_n_days, sets, kind in ProgrammeItem.objects.filter(
        programme__patient__clinic=clinic
    ).values_list("pk", "programme__patient_id", "every_n_days", "sets", "exercise__kind"):
        if kind != Kind.ADVICE:
            items.setdefault(patient_id, []).append((item_id, every_n_days, sets or 1))

    all_days = [starts_on + timedelta(days=offset) for offset in range(days)]
    morning = [datetime.combine(day, datetime.min.time(), tzinfo=UTC) for day in all_days]
    entries = completions = 0
    for first in range(0, len(patients), BATCH):
        diary_rows, completion_rows = [], []
        for patient, story, _physio in patients[first : first + BATCH]:
            for day, at, pain in zip(all_days, morning, pain_series(rng, story, days), strict=True):
                if pain is not None:
                    diary_rows.append((patient.pk, day, pain, at + timedelta(hours=6)))
            rate = rng.uniform(0.5, 0.9)  # adherence differs between patients; ~70 % overall
            for item_id, every_n_days, sets in items.get(patient.pk, []):
                for day, at in zip(all_days, morning, strict=True):
                    if is_due(starts_on, every_n_days, day) and rng.random() < rate:
                        completion_rows.append(
                            (patient.pk, item_id, day, sets, at + timedelta(hours=17))
                        )
        with transaction.atomic():
            entries += copy_rows(
                DiaryEntry, ["patient_id", "date", "morning_pain", "recorded_at"], diary_rows
            )
            completions += copy_rows(
                Completion,
                ["patient_id", "item_id", "date", "sets_done", "recorded_at"],
                completion_rows,
            )
        done = min(first + BATCH, len(patients))
        if done % 250 == 0 or done == len(patients):
            say(
                f"diary and completions: {done}/{len(patients)} patients, {entries} entries, "
                f"{completions} completions ({time.perf_counter() - started:.0f} s)"
            )

    # Weekly check-ins, newest first; every 50th patient answered yes to a red flag this week.
    checkin_rows = []
    weeks = max(1, days // 7)
    for number, (patient, _story, _physio) in enumerate(patients):
        for week in range(weeks):  # oldest first, so the newest has the highest id
            red = week == weeks - 1 and number % 50 == 3
            checkin_rows.append(
                CheckIn(
                    patient_id=patient.pk,
                    kind=CheckIn.Kind.ONBOARDING if week == 0 else CheckIn.Kind.WEEKLY,
                    answers={"sudden_pop": red},
                    red_flags=["sudden_pop"] if red else [],
                    urgency="soon" if red else "none",
                    acknowledged_at=None if red else datetime.now(UTC),
                )
            )
    CheckIn.objects.bulk_create(checkin_rows, batch_size=5000)
    table = CheckIn._meta.db_table
    with connection.cursor() as cursor:
        # created_at is set on insert; spread the check-ins over the weeks they stand for.
        cursor.execute(
            f"UPDATE {table} AS c SET created_at = now() - r.n * interval '7 days' "  # noqa: S608
            f"FROM (SELECT id, row_number() OVER (PARTITION BY patient_id ORDER BY id DESC) - 1"
            f" AS n FROM {table}) AS r WHERE c.id = r.id"
        )
        cursor.execute("ANALYZE")
    say(
        f"data ready: {len(patients)} patients, {entries} diary entries, {completions} "
        f"completions, {len(checkin_rows)} check-ins in {time.perf_counter() - started:.0f} s"
    )
    return {
        "physios": {key: (physio.user, count) for key, (physio, count) in physios.items()},
        "entries": entries,
        "completions": completions,
        "checkins": len(checkin_rows),
        "generate_s": time.perf_counter() - started,
    }


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def log_in(client, user) -> None:
    """Log the physio in as the web app would: password session and, where the app asks for
    a second factor (django-otp), a verified authenticator device in the session."""
    from django.apps import apps

    client.force_login(user)
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# How many patients wrote since the physio's list was last cached, before each timed request:
# "cached": none (the list looked at again); "1 % written": the patients who wrote in the
# minutes between two looks of a morning; "10 % written": a tenth; "none cached": every key
# new, so every row is computed (the first list of a patient's day, or after new rules).
WRITTEN = {"cached": 0.0, "1 % written": 0.01, "10 % written": 0.1, "none cached": 1.0}


def write_some(user, share: float, rng: random.Random) -> None:
    """What writes do to the cache: raise the data version (a diary PUT does it with the
    entry, accounts.services.patient_data_changed), or, for all, empty the cache."""
    from django.core.cache import cache

    from accounts.models import PatientProfile
    from accounts.services import patient_data_changed

    if share >= 1:
        cache.clear()
        return
    if share > 0:
        ids = list(PatientProfile.objects.filter(physio__user=user).values_list("pk", flat=True))
        chosen = rng.sample(ids, max(1, round(len(ids) * share)))
        patient_data_changed(patients=PatientProfile.objects.filter(pk__in=chosen))


def measure(user, expected: int, runs: int, profile: bool) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    log_in(client, user)
    rng = random.Random(SEED)

    def get():
        response = client.get(URL, HTTP_ACCEPT="application/json")
        if response.status_code != 200:
            raise SystemExit(
                f"GET {URL} as {user.email} answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        return response

    for _ in range(2):  # warm-up: imports, translations, connection
        get()
    # As haelapp/wsgi.py does once the app is loaded: what lives as long as the process is
    # left out of the garbage collector's full collections.
    gc.collect()
    gc.freeze()
    result = {"patients": expected, "runs": runs, "modes": {}}
    for mode, share in WRITTEN.items():
        get()  # every row cached, then the writes of this mode
        write_some(user, share, rng)
        with CaptureQueriesContext(connection) as captured:
            body = get().json()
        count = body["count"] if isinstance(body, dict) else len(body)
        if count != expected:
            raise SystemExit(f"the list shows {count} patients, expected {expected}")
        queries = [
            {"ms": float(query["time"]) * 1000, "sql": query["sql"]}
            for query in captured.captured_queries
        ]
        times = []
        for _ in range(runs):
            write_some(user, share, rng)
            start = time.perf_counter()
            get()
            times.append((time.perf_counter() - start) * 1000)
        result["modes"][mode] = {
            "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 0.95),
            "min_ms": min(times),
            "max_ms": max(times),
            "queries": len(queries),
            "db_ms": sum(query["ms"] for query in queries),
            "slowest_queries": sorted(queries, key=lambda query: -query["ms"])[:5],
        }
        if profile:
            write_some(user, share, rng)
            profiler = cProfile.Profile()
            profiler.enable()
            get()
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
            result["modes"][mode]["profile"] = out.getvalue()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--caseloads", default="10,300,1000", help="patients per physio")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    caseloads = sorted({int(count) for count in args.caseloads.split(",")})
    django_setup()
    from django.conf import settings
    from django.core.cache import cache

    cache.clear()  # the benchmark's own cache database: nothing from an earlier run
    data = generate(caseloads, args.days)
    results = {}
    try:
        for user, count in data["physios"].values():
            say(f"timing the list for {count} patients ({args.runs} runs)")
            largest = count == caseloads[-1]
            results[str(count)] = measure(user, count, args.runs, args.profile and largest)
    finally:
        cache.clear()
    args.out.write_text(
        json.dumps(
            {
                "days": args.days,
                "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
                "entries": data["entries"],
                "completions": data["completions"],
                "checkins": data["checkins"],
                "generate_s": data["generate_s"],
                "caseloads": results,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
