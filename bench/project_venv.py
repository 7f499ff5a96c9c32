"""Run a benchmark script in the project's virtualenv, with the project importable.

A script run as a file (`python bench/run.py`) has bench/ first on sys.path, so it can import
this module before anything of the project's. `enter(__file__)` restarts the script under
.venv/bin/python when it was started with a system Python (BENCH_NO_REEXEC stops a loop), and
puts the project's root on sys.path for `bench.common`, `tests.browser.chromium` and Django.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


def enter(script: str) -> None:
    if (
        sys.prefix == sys.base_prefix
        and VENV_PYTHON.exists()
        and "BENCH_NO_REEXEC" not in os.environ
    ):
        os.environ["BENCH_NO_REEXEC"] = "1"
        os.execv(VENV_PYTHON, [str(VENV_PYTHON), script, *sys.argv[1:]])  # noqa: S606
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
