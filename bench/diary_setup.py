"""Data for the diary PUT benchmark: patients with one API token each, and the bare table.

Run by bench/run.py inside Django against the benchmark database:
`python -m bench.diary_setup --patients 500 --out DIR`. Writes DIR/tokens.txt (one token a
line) and DIR/setup.json (the patients' today and yesterday).
"""

import argparse
import json
import time
from pathlib import Path

from bench.common import django_setup


def count_queries(token: str, day) -> dict:
    """Queries of one diary PUT that creates the entry, one that updates it, and one bare PUT,
    in-process (needs ROOT_URLCONF=bench.bare_urls). Dated long ago, so the load test's later
    writes still win."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    counts = {}
    for name, path, recorded_at in (
        ("app_create", f"/api/v1/diary/{day}/", "2000-01-01T06:00:00Z"),
        ("app_update", f"/api/v1/diary/{day}/", "2000-01-01T06:00:01Z"),
        ("bare", f"/bench/bare/{day}/", "2000-01-01T06:00:00Z"),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.put(
                path,
                {"morning_pain": 5, "recorded_at": recorded_at},
                content_type="application/json",
            )
        if response.status_code not in (200, 201):
            raise SystemExit(
                f"PUT {path} answered {response.status_code}: {response.content[:300]!r}"
            )
        counts[name] = {
            "status": response.status_code,
            "count": len(captured.captured_queries),
            "sql": [query["sql"][:160] for query in captured.captured_queries],
        }
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    django_setup()

    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from knox.models import AuthToken

    from accounts.models import Clinic, Condition, PatientProfile, PhysioProfile, User
    from bench.bare_urls import CREATE_TABLE

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    with transaction.atomic():
        clinic = Clinic.objects.create(name="Bench clinic", slug="bench-clinic")
        physio = PhysioProfile.objects.create(
            user=User.objects.create(
                email="physio@bench.invalid", name="Bench Physio", password=make_password(None)
            ),
            clinic=clinic,
        )
        users = User.objects.bulk_create(
            User(
                email=f"patient{number:04d}@bench.invalid",
                name=f"Bench Patient {number:04d}",
                password=make_password(None),  # unusable: the benchmark logs in by token
            )
            for number in range(args.patients)
        )
        PatientProfile.objects.bulk_create(
            PatientProfile(
                user=user, clinic=clinic, physio=physio, condition=Condition.PLANTAR_FASCIITIS
            )
            for user in users
        )
        tokens = [AuthToken.objects.create(user)[1] for user in users]

    today = users[0].local_today()  # every patient lives in the default time zone
    queries = count_queries(tokens[-1], today)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tokens.txt").write_text("".join(f"{token}\n" for token in tokens))
    (args.out / "setup.json").write_text(
        json.dumps(
            {
                "patients": len(users),
                "today": today.isoformat(),
                "yesterday": (today - timedelta(days=1)).isoformat(),
                "timezone": users[0].timezone,
                "queries": queries,
            }
        )
    )
    print(
        f"  {len(users)} patients with a token each, in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
