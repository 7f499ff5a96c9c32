"""Several nodes, as a deployment that outgrows one machine runs the service.

Two web instances (gunicorn, each its own process on its own loopback port, as the Dockerfile
runs it) behind a round-robin reverse proxy (tests/http_proxy.py, which appends the client to
X-Forwarded-For: `TRUSTED_PROXY_COUNT=1`), two Celery workers and one beat, all sharing one
PostgreSQL (the test database) and one Redis (a server of this module's own: broker in
database 0, cache in database 1), one SECRET_KEY and one VAPID key. Shown from outside:

(a) a session and the CSRF token made by one instance work on the other;
(b) failed log-ins spread over both instances count together, and then both refuse (429);
(c) 1,000 due reminders go out exactly once, beat's tick and the sends on two workers.

Production settings (`DEBUG=false`), except those that need TLS: the proxy here speaks plain
HTTP on loopback, so `SECURE_SSL_REDIRECT`, secure cookies and HSTS are off, as behind a
TLS-terminating proxy they need not be. The second factor is required as in production; the
log-ins here are patients', who have not turned it on.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import httpx
import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.db import connection

from accounts.models import Clinic, Condition, PatientProfile, PhysioProfile, User
from diary.models import CheckIn, DiaryEntry
from reminders.models import Notification, PushSubscription, ReminderSchedule

from .celery_worker import ROOT, Beat, Worker, database_url, wait_until
from .conftest import VAPID_PRIVATE_KEY, _missing
from .factories import PASSWORD, PatientFactory, PhysioFactory
from .http_proxy import PICK, SERVED_BY, RoundRobinProxy
from .push_standin import StandInPushService
from .redis_server import RedisServer, free_port, redis_server_binary

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

WEB = ("web-1", "web-2")
REMINDERS = 1000
LOGIN_FAILURE_LIMIT = 5  # the default, set explicitly below


class WebInstance:
    """gunicorn serving the app on 127.0.0.1:<port>, in its own process group."""

    def __init__(self, name: str, env: dict[str, str], folder: Path):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / f"{name}.log"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "haelapp.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--access-logfile",
                    "-",
                    "--forwarded-allow-ips",
                    "*",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.output()[-3000:]}")
        try:
            return httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def nodes(django_db_setup, tmp_path_factory):
    if connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://... to run it")
    if redis_server_binary() is None:
        _missing("needs the redis-server binary to start a Redis of its own")
    folder = tmp_path_factory.mktemp("nodes")
    with contextlib.ExitStack() as stack:
        redis = stack.enter_context(RedisServer(workdir=folder))
        push = stack.enter_context(StandInPushService())
        redis_base = f"redis://127.0.0.1:{redis.port}"
        queue = f"nodes-{uuid.uuid4().hex[:8]}"
        # What every node shares: one database, one Redis (broker and cache), one secret key,
        # one VAPID key, one queue.
        shared = {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback (see the module's docstring).
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "TRUSTED_PROXY_COUNT": "1",
            "LOGIN_FAILURE_LIMIT": str(LOGIN_FAILURE_LIMIT),
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": f"{redis_base}/0",
            "CACHE_URL": f"{redis_base}/1",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "VAPID_PRIVATE_KEY": VAPID_PRIVATE_KEY,
            "VAPID_CONTACT": "mailto:reminders@example.org",
            "PUSH_SERVICE_HOSTS": "http://127.0.0.1",
            "ENV_FILE": "/nonexistent",
            "LOG_LEVEL": "INFO",
        }
        web_env = os.environ | shared | {"HAELAPP_VAR_DIR": str(folder / "web-var")}
        # DEBUG=false serves static files from collectstatic's manifest, as the image does.
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=web_env,
            check=True,
            timeout=120,
        )
        processes = []
        stack.callback(_print_tracebacks, processes)
        web = {}
        for name in WEB:
            web[name] = WebInstance(name, web_env, folder)
            processes.append(web[name])
            stack.callback(web[name].stop)
        workers = []
        for number in (1, 2):
            (folder / f"worker-{number}").mkdir()
            workers.append(
                Worker(
                    shared["CELERY_BROKER_URL"], folder / f"worker-{number}", queue=queue, **shared
                )
            )
        (folder / "beat").mkdir()
        # Its var/ does not exist yet: the settings make it, or beat could not keep its schedule.
        beat = Beat(
            shared["CELERY_BROKER_URL"],
            folder / "beat",
            queue=queue,
            **shared | {"HAELAPP_VAR_DIR": str(folder / "beat" / "var")},
        )
        for celery in (*workers, beat):
            celery.start()
            processes.append(celery)
            stack.callback(celery.stop)
        for instance in web.values():
            wait_until(instance.healthy, timeout=90, message=f"{instance.name} /healthz 200")
        for number, worker in enumerate(workers, 1):
            wait_until(lambda w=worker: " ready." in w.output(), 90, f"worker {number} ready")
        wait_until(lambda: "beat: Starting" in beat.output(), 60, "beat started")
        proxy = stack.enter_context(
            RoundRobinProxy({name: instance.url for name, instance in web.items()})
        )
        yield SimpleNamespace(proxy=proxy, web=web, workers=workers, beat=beat, push=push)


def _print_tracebacks(processes) -> None:
    for process in processes:
        output = process.output()
        if "Traceback" in output:
            print(f"\n--- {process.log_path.name}\n{output[-5000:]}")


def _report(title: str, lines: list[str]) -> None:
    print(f"\n--- {title}")
    for line in lines:
        print(f"    {line}")


def _patient_with_password(email: str) -> PatientProfile:
    """A patient whose password the web instances can check: they hash with Argon2, while
    this test process is set up with a fast hasher they do not accept."""
    patient = PatientFactory(user__email=email)
    hasher = Argon2PasswordHasher()
    User.objects.filter(pk=patient.user.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))
    return patient


def _csrf_field(page: httpx.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _sets_cookie(response: httpx.Response, name: str) -> bool:
    return any(value.startswith(f"{name}=") for value in response.headers.get_list("set-cookie"))


def _served(response: httpx.Response) -> str:
    return response.headers[SERVED_BY]


def test_session_and_csrf_token_work_across_instances(nodes):
    patient = _patient_with_password("across@example.org")
    shown = []
    with httpx.Client(base_url=nodes.proxy.url, timeout=30) as browser:
        page = browser.get("/login/", headers={PICK: "web-1"})
        assert page.status_code == 200 and _served(page) == "web-1"
        assert _sets_cookie(page, "csrftoken")
        shown.append("GET /login/ on web-1: 200, CSRF cookie set by web-1")

        # The log-in form is CSRF-protected: web-2 accepts web-1's token.
        login = browser.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": _csrf_field(page),
                "username": patient.user.email,
                "password": PASSWORD,
            },
            headers={PICK: "web-2"},
        )
        assert _served(login) == "web-2"
        assert login.status_code == 302 and login.headers["location"] == "/", login.text[:500]
        assert _sets_cookie(login, "sessionid") and _sets_cookie(login, "csrftoken")
        shown.append("POST /login/ on web-2 with web-1's CSRF token: 302, session set by web-2")

        # Unpinned, the proxy alternates; every answer is the logged-in Today page.
        served = []
        for _ in range(4):
            today = browser.get("/")
            assert today.status_code == 200 and "/logout/" in today.text, today.text[:300]
            served.append(_served(today))
        assert sorted(served) == sorted(WEB * 2), served
        shown.append(f"GET / round robin: 200 logged in on {served}")

        # The API's CSRF check on web-1, with the token web-2 set at log-in.
        day = patient.user.local_today().isoformat()
        token = browser.cookies["csrftoken"]
        refused = browser.put(
            f"/api/v1/diary/{day}/", json={"morning_pain": 3}, headers={PICK: "web-1"}
        )
        assert (_served(refused), refused.status_code) == ("web-1", 403), refused.text
        assert "CSRF" in refused.text
        written = browser.put(
            f"/api/v1/diary/{day}/",
            json={"morning_pain": 3},
            headers={PICK: "web-1", "X-CSRFToken": token},
        )
        assert (_served(written), written.status_code) == ("web-1", 201), written.text
        assert DiaryEntry.objects.get(patient=patient).morning_pain == 3
        shown.append(
            "PUT /api/v1/diary/ on web-1: 403 without the CSRF token, 201 with web-2's token"
        )

        # Logging out on web-1 (a CSRF-protected form) ends the session on web-2 as well.
        logout = browser.post(
            "/logout/", data={"csrfmiddlewaretoken": token}, headers={PICK: "web-1"}
        )
        assert (_served(logout), logout.status_code) == ("web-1", 302), logout.text[:300]
        after = browser.get("/", headers={PICK: "web-2"})
        assert (_served(after), after.status_code) == ("web-2", 302)
        assert after.headers["location"].startswith("/login/")
        shown.append("POST /logout/ on web-1: 302; then GET / on web-2: 302 to the log-in page")

    for instance in nodes.web.values():
        assert "Traceback" not in instance.output(), instance.output()[-3000:]
    _report("a session and the CSRF token across two web instances", shown)


def test_login_lockout_counts_across_instances(nodes):
    patient = _patient_with_password("lockout@example.org")
    email = patient.user.email
    shown = []
    with httpx.Client(base_url=nodes.proxy.url, timeout=30) as browser:
        csrf = _csrf_field(browser.get("/login/"))

        def attempt(password: str, **headers) -> httpx.Response:
            return browser.post(
                "/login/",
                data={"csrfmiddlewaretoken": csrf, "username": email, "password": password},
                headers=headers,
            )

        answers = [attempt(f"wrong-guess-{n}") for n in range(LOGIN_FAILURE_LIMIT)]
        served = [_served(answer) for answer in answers]
        statuses = [answer.status_code for answer in answers]
        assert set(served) == set(WEB), served  # spread over both instances
        # No instance alone saw the limit, yet the limit-th failure locks the pair out.
        assert max(Counter(served).values()) < LOGIN_FAILURE_LIMIT
        assert statuses == [200] * (LOGIN_FAILURE_LIMIT - 1) + [429], list(
            zip(served, statuses, strict=True)
        )
        shown.append(f"{LOGIN_FAILURE_LIMIT} wrong passwords on {served}: {statuses}")

        for name in WEB:
            # The right password now, on each instance: refused before it is checked.
            locked = attempt(PASSWORD, **{PICK: name})
            assert (_served(locked), locked.status_code) == (name, 429), locked.text[:300]
            assert "sessionid" not in browser.cookies
        token = browser.post(
            "/api/v1/auth/token/",
            json={"email": email, "password": PASSWORD},
            headers={PICK: "web-2"},
        )
        assert token.status_code == 429, token.text
        shown.append("then the right password: 429 on web-1, 429 on web-2, 429 from the API")

        # An address the client writes itself is not believed: the proxy appends the one it
        # saw, and TRUSTED_PROXY_COUNT=1 reads only that.
        spoofed = attempt(PASSWORD, **{PICK: "web-1", "X-Forwarded-For": "198.51.100.7"})
        assert spoofed.status_code == 429, spoofed.text[:300]
        shown.append("with a client-written X-Forwarded-For: still 429")

    _report("the log-in lock-out across two web instances", shown)


def _due_patients(push: StandInPushService, count: int, due: datetime) -> None:
    physio = PhysioFactory()
    unusable = make_password(None)  # nobody logs in
    users = User.objects.bulk_create(
        User(email=f"due-{n:04d}@example.org", name=f"Due {n:04d}", password=unusable)
        for n in range(count)
    )
    patients = PatientProfile.objects.bulk_create(
        PatientProfile(
            user=user, clinic=physio.clinic, physio=physio, condition=Condition.PLANTAR_FASCIITIS
        )
        for user in users
    )
    subscriptions = [push.new_subscription() for _ in patients]
    PushSubscription.objects.bulk_create(
        PushSubscription(patient=patient, endpoint=sub["endpoint"], **sub["keys"])
        for patient, sub in zip(patients, subscriptions, strict=True)
    )
    # The weekly questions are answered: only the daily reminder is due.
    CheckIn.objects.bulk_create(
        CheckIn(patient=patient, kind="onboarding", answers={}) for patient in patients
    )
    ReminderSchedule.objects.bulk_create(
        ReminderSchedule(patient=patient, next_due_at=due) for patient in patients
    )


def _no_digest_due() -> None:
    """Put every clinic's daily digest half a day away. The digest has its own tests
    (test_digest); here beat's ticks must write the reminders and nothing else, whatever the
    hour CI runs at. At the default digest time (08:00, due until 14:00 on the physio's clock)
    a tick also wrote one row for the physio of the due patients, and the test waited in vain
    for it to be sent: nothing needed the physio, so it stays `skipped`."""
    tz = settings.DEFAULT_PATIENT_TIMEZONE  # every physio here has the default
    assert set(PhysioProfile.objects.values_list("user__timezone", flat=True)) == {tz}
    away = datetime.now(ZoneInfo(tz)) + timedelta(hours=12)
    Clinic.objects.update(digest_time=away.time().replace(second=0, microsecond=0))


def _claims(output: str) -> list[int]:
    return [
        int(claimed)
        for claimed in re.findall(
            r"Task reminders\.send\[[^\]]+\] succeeded in [\d.]+s: \{'claimed': (\d+)", output
        )
    ]


def test_a_thousand_due_reminders_go_out_exactly_once(nodes):
    push, first = nodes.push, nodes.workers[0]
    push.clear()
    logged = [len(worker.output()) for worker in nodes.workers]
    shown = []
    _due_patients(push, REMINDERS, datetime.now(UTC) - timedelta(seconds=1))
    _no_digest_due()
    shown.append(f"{REMINDERS} patients with a push subscription and a reminder due now")

    # Beat sends its tick at the next minute; one worker runs it and writes the outbox rows.
    wait_until(
        lambda: Notification.objects.count() >= REMINDERS,
        timeout=90,
        message="beat's tick to write the outbox rows",
    )
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == REMINDERS
    # The tick enqueues its send task after commit. Enqueue the same rows once more at once, as
    # Redis does when it hands an unacknowledged task to another worker: whichever worker is
    # free takes it while the other may still be claiming and sending the same rows.
    first.route_here()
    try:
        from reminders.tasks import send_notifications

        send_notifications.delay(ids)
    finally:
        first.restore()

    push.wait_for(REMINDERS, timeout=120)
    wait_until(
        lambda: not Notification.objects.exclude(status=Notification.Status.SENT).exists(),
        timeout=60,
        message="every row marked sent",
    )
    wait_until(
        lambda: (
            sum(len(_claims(w.output()[n:])) for w, n in zip(nodes.workers, logged, strict=True))
            >= 2
        ),
        timeout=60,
        message="both send tasks to finish",
    )
    # Both tasks done and nothing else waiting: a duplicate, if any, has been sent by now.
    nodes.workers[0].wait_until_done(timeout=60)

    delivered = Counter(message.payload["id"] for message in push.accepted)
    assert len(push.accepted) == REMINDERS
    assert set(delivered) == set(ids) and set(delivered.values()) == {1}
    assert len({message.endpoint for message in push.accepted}) == REMINDERS
    assert push.rejections == []
    claims = [_claims(w.output()[n:]) for w, n in zip(nodes.workers, logged, strict=True)]
    assert sum(map(sum, claims)) == REMINDERS, claims
    ticked = [
        len(re.findall(r"Task reminders\.tick\[[^\]]+\] succeeded", w.output()))
        for w in nodes.workers
    ]
    shown.append(f"beat's ticks run by worker 1 and 2: {ticked}")
    shown.append(f"rows claimed per send task on worker 1: {claims[0]}, on worker 2: {claims[1]}")
    shown.append(
        f"push service accepted {len(push.accepted)} messages for {len(delivered)} rows: "
        "each exactly once"
    )
    for process in (*nodes.workers, nodes.beat):
        assert "Traceback" not in process.output(), process.output()[-3000:]
        assert process.process.poll() is None
    assert list((nodes.beat.log_path.parent / "var").glob("celerybeat-schedule*"))
    _report("1,000 due reminders, one beat and two workers", shown)
