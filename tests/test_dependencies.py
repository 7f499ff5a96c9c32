"""pyproject.toml declares what the code imports: production code only what `dependencies`
installs (the image installs nothing else), tests and benchmarks what the `dev` extras add.

A module that arrives only as another package's dependency works until that package drops
it; `aiohttp` came in through pywebpush while the sender imported it directly.
"""

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PRODUCTION = {"tests", "bench"}
# Imported by production code, yet deliberately a development dependency.
DEVELOPMENT_TOOLS = {
    # `manage.py render_icons`, run by hand when the icon changes (it says so).
    "playwright": "web/management/commands/render_icons.py",
}


def _distribution(requirement: str) -> str:
    return _normal(re.split(r"[<>=!~\[;\s]", requirement, maxsplit=1)[0])


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production = {_distribution(r) for r in project["dependencies"]}
    dev = {_distribution(r) for r in project["optional-dependencies"]["dev"]}
    return production, dev


def _imports(files) -> dict[str, set[str]]:
    """Third-party top-level modules imported by these files, each with where."""
    # Our own: the top-level folders, and modules run from theirs (bench/, tests/).
    ours = {p.name for p in ROOT.iterdir() if p.is_dir()}
    ours |= {p.stem for folder in ("", "bench", "tests") for p in (ROOT / folder).glob("*.py")}
    found: dict[str, set[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in ours | {"__future__"}:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _python_files():
    skip = {".venv", ".git", "node_modules", "var", "test-artifacts"}
    return [p for p in ROOT.rglob("*.py") if not skip & set(p.relative_to(ROOT).parts)]


def _is_production(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return parts[0] not in NOT_PRODUCTION and path.name != "conftest.py"


@cache
def _installed() -> dict[str, list[str]]:
    return packages_distributions()


def _distributions_of(module: str) -> set[str]:
    return {_normal(name) for name in _installed().get(module, [])}


def test_production_imports_are_declared_dependencies():
    production, _dev = _declared()
    imports = _imports(p for p in _python_files() if _is_production(p))
    assert "aiohttp" in imports  # the scan sees the sender's imports at all
    missing = {
        module: sorted(where)
        for module, where in imports.items()
        if where != {DEVELOPMENT_TOOLS.get(module)} and not _distributions_of(module) & production
    }
    assert missing == {}, "imported by production code but not in [project].dependencies"


def test_installed_apps_come_from_declared_dependencies():
    from django.conf import settings

    production, _dev = _declared()
    missing = [
        app
        for app in settings.INSTALLED_APPS
        if (distributions := _distributions_of(app.partition(".")[0]))
        and not distributions & production
    ]
    assert missing == []


def test_test_and_benchmark_imports_are_declared():
    production, dev = _declared()
    imports = _imports(p for p in _python_files() if not _is_production(p))
    assert "pytest" in imports
    missing = {
        module: sorted(where)
        for module, where in imports.items()
        if not _distributions_of(module) & (production | dev)
    }
    assert missing == {}, "imported by tests or benchmarks but declared nowhere"


def test_development_tools_stay_out_of_production_dependencies():
    production, dev = _declared()
    for module in DEVELOPMENT_TOOLS:
        assert _distributions_of(module) & dev
        assert not _distributions_of(module) & production


def test_the_ground_floor_imports_no_app():
    # common/ is what every app may import; an import of an app from it would be a cycle.
    ours = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {"common"}
    found = {}
    for path in (ROOT / "common").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.partition(".")[0] in ours:
                    found.setdefault(path.name, []).append(name)
    assert "accounts" in ours and "haelapp" in ours
    assert found == {}
