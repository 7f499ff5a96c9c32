"""Shared by the benchmark driver and the parts that run inside Django."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every database the benchmarks create, use and drop starts with this; nothing else is touched.
BENCH_DB_PREFIX = "haelapp_bench"
RESULT_PREFIX = "BENCH_RESULT "


def is_bench_database(name: str) -> bool:
    return name == BENCH_DB_PREFIX or name.startswith(BENCH_DB_PREFIX + "_")


def django_setup() -> None:
    """Start Django for a benchmark part; refuse any database but a benchmark one."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haelapp.settings")
    import warnings

    import django
    from django.conf import settings

    # Whitenoise warns that collectstatic has not run; these benchmarks serve no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or not is_bench_database(
        database["NAME"]
    ):
        raise SystemExit(
            f"refusing to run: DATABASE_URL must name a PostgreSQL database called "
            f"{BENCH_DB_PREFIX}* (got {database['ENGINE']} {database['NAME']!r})"
        )
