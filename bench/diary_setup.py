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
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tokens.txt").write_text("".join(f"{token}\n" for token in tokens))
    (args.out / "setup.json").write_text(
        json.dumps(
            {
                "patients": len(users),
                "today": today.isoformat(),
                "yesterday": (today - timedelta(days=1)).isoformat(),
                "timezone": users[0].timezone,
            }
        )
    )
    print(
        f"  {len(users)} patients with a token each, in {time.perf_counter() - started:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
