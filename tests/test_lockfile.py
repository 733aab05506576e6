"""uv.lock holds the versions Cloud Build tests and the functions' buildpack installs.

Google's Python buildpack installs a pyproject.toml project with `uv sync` when uv.lock is
present and nothing of higher precedence is (requirements.txt, then poetry.lock or
[tool.poetry]); see docs/deploy.md ("Reproducible builds"). It does not pass --locked, so a lock
that lags behind pyproject.toml would be re-resolved at deploy time, on versions nothing here
ever tested. These checks fail first.
"""

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK_PATH = ROOT / "uv.lock"


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_lock_is_in_step_with_pyproject():
    uv = pytest.importorskip("uv")
    # A UV_INDEX_URL or similar in the caller's environment would judge the lock against
    # another index; the cache may stay.
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_") or k == "UV_CACHE_DIR"}
    result = subprocess.run(
        [uv.find_uv_bin(), "lock", "--check", "--offline"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        "uv.lock does not match pyproject.toml: run `uv lock` and commit uv.lock\n" + result.stderr
    )


def test_buildpack_picks_uv_lock():
    assert LOCK_PATH.is_file(), "uv.lock is missing: run `uv lock`"
    for file in ("requirements.txt", "poetry.lock"):
        assert not (ROOT / file).exists(), f"{file} would take precedence over uv.lock"
    assert "poetry" not in PYPROJECT.get("tool", {}), "[tool.poetry] would select Poetry"


def test_every_locked_package_comes_from_pypi():
    # A lock written against a mirror or a local path names it, and the buildpack cannot reach it.
    lock = tomllib.loads(LOCK_PATH.read_text())
    for package in lock["package"]:
        assert package["source"] in (
            {"registry": "https://pypi.org/simple"},
            {"editable": "."},
        ), package["name"]


def test_functions_framework_is_declared():
    # With pyproject.toml the buildpack no longer adds functions-framework; the build fails.
    names = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert "functions-framework" in names


def test_buildpack_install_leaves_the_test_tools_out():
    # `uv sync` without flags installs no extras but does install uv's default groups ("dev").
    groups = PYPROJECT.get("dependency-groups", {})
    default = PYPROJECT.get("tool", {}).get("uv", {}).get("default-groups", ["dev"])
    shipped = list(groups) if default == "all" else [g for g in groups if g in default]
    assert not shipped, f"dependency groups {shipped} would be deployed with the functions"
    test_extra = {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    runtime = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert "pytest" in test_extra and "pytest" not in runtime
