"""Settings behave as documented: production settings pass `check --deploy`, and a missing
SECRET_KEY or ALLOWED_HOSTS outside DEBUG stops start-up with a clear message."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "haelapp.example.org",
    "ENV_FILE": "/nonexistent",
}


def manage(*args, **env):
    base = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_missing_required_setting_outside_debug_is_a_clear_error(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_embedded_default_needs_no_environment(tmp_path):
    result = manage("check", ENV_FILE="/nonexistent", HAELAPP_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_var_folder_is_made_whatever_the_database_and_broker(tmp_path):
    # On PostgreSQL and Redis nothing else makes var/, yet beat keeps its schedule there: a
    # fresh clone's beat once crashed on it. (check connects to neither server.)
    var = tmp_path / "not-yet" / "var"
    result = manage(
        "check",
        ENV_FILE="/nonexistent",
        HAELAPP_VAR_DIR=str(var),
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
        CELERY_BROKER_URL="redis://127.0.0.1:9/0",
    )
    assert result.returncode == 0, result.stderr
    assert var.is_dir()
    assert list(var.iterdir()) == []  # the folder only: no broker or database files


def test_var_folder_that_cannot_be_made_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = manage("check", ENV_FILE="/nonexistent", HAELAPP_VAR_DIR=str(blocker / "var"))
    assert result.returncode != 0
    assert f"HAELAPP_VAR_DIR ({blocker / 'var'}) cannot be created" in result.stderr


def test_passwords_are_hashed_with_argon2():
    from django.conf import settings as django_settings

    from haelapp import settings as module

    assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_USER_MODEL == "accounts.User"


def test_every_task_beat_schedules_is_registered():
    from django.conf import settings

    from haelapp.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_embedded_broker_keeps_all_its_folders_under_var(tmp_path):
    # kombu's filesystem transport writes its exchange table to `control/` in the current
    # folder unless told otherwise; a worker started elsewhere must not litter that folder.
    var, elsewhere = tmp_path / "var", tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    result = subprocess.run(
        [sys.executable, "-c", "from haelapp.celery import ping; ping.delay()"],
        cwd=elsewhere,
        env=env
        | {"ENV_FILE": "/nonexistent", "HAELAPP_VAR_DIR": str(var), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (var / "broker" / "control" / "celery.exchange").is_file()
    assert len(list((var / "broker" / "queue").iterdir())) == 1  # the message itself
    assert list(elsewhere.iterdir()) == []


def test_pages_and_api_answers_are_compressed_for_a_client_that_accepts_it(client, db):
    """A phone on a slow line gets Today's HTML and the API's JSON gzipped (bench/pwa.py)."""
    import gzip

    page = client.get("/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.content)
    assert "Content-Encoding" not in client.get("/login/")  # and not for one that does not
