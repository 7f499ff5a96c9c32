"""Data for the diary PUT benchmark: patients with an API token and a web session each, and
the bare table.

Run by bench/run.py inside Django against the benchmark database:
`python -m bench.diary_setup --patients 500 --out DIR`. Writes, one patient a line, the
request headers of each client: DIR/token.txt (`Authorization: Token ...`) and
DIR/session.txt (the session and CSRF cookies and the `X-CSRFToken` header, as the web app
sends them), headers separated by tabs; and DIR/setup.json (the patients' today and
yesterday, the queries of one request).
"""

import argparse
import json
import secrets
import time
from datetime import timedelta
from pathlib import Path

from bench.common import django_setup


def headers_line(headers: dict[str, str]) -> str:
    return "\t".join(f"{name}: {value}" for name, value in headers.items())


def session_headers(user) -> dict[str, str]:
    """A logged-in web session's headers: the session cookie of a real log-in (Django's
    force_login, through the project's session store), and the CSRF cookie with the header
    the web app copies from it (static/js/app.js)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # 32 characters, as Django's own CSRF secret
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }


def count_queries(clients: dict[str, dict[str, str]], day) -> dict:
    """Queries of one diary PUT that creates the entry and one that updates it, for each
    client (token, session), and one bare PUT, in-process (needs ROOT_URLCONF=bench.bare_urls).
    Dated long ago, so the load test's later writes still win."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    requests = []
    for number, (client, headers) in enumerate(clients.items()):
        for name, seconds in (("create", 0), ("update", 1)):
            path = f"/api/v1/diary/{day - timedelta(days=number)}/"
            requests.append((f"{client}_{name}", headers, path, seconds))
    requests.append(("bare", clients["token"], f"/bench/bare/{day}/", 0))
    for name, headers, path, seconds in requests:
        client = Client(enforce_csrf_checks=True, headers=headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.put(
                path,
                {"morning_pain": 5, "recorded_at": f"2000-01-01T06:00:0{seconds}Z"},
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
        clients = {
            "token": [
                {"Authorization": f"Token {AuthToken.objects.create(user)[1]}"} for user in users
            ],
            "session": [session_headers(user) for user in users],
        }

    today = users[0].local_today()  # every patient lives in the default time zone
    queries = count_queries({name: lines[-1] for name, lines in clients.items()}, today)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, lines in clients.items():
        (args.out / f"{name}.txt").write_text("".join(f"{headers_line(h)}\n" for h in lines))
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
        f"  {len(users)} patients with a token and a session each, in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
