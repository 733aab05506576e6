"""Offline checks of cloudbuild.yaml and .gcloudignore: there is no local Cloud Build to run.

They catch the mistakes that otherwise show up only on a real deploy: a deploy that can start
before the tests pass, an entry point missing from main.py, an undefined substitution, a
runtime that differs from the tested Python, a secret pasted into the config, or an upload
that leaves out the code.
"""

import ast
import fnmatch
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG_TEXT = (ROOT / "cloudbuild.yaml").read_text()
CONFIG = yaml.safe_load(CONFIG_TEXT)
STEPS: list[dict] = CONFIG["steps"]
SUBS: dict[str, str] = CONFIG.get("substitutions", {})

# https://cloud.google.com/build/docs/configuring-builds/substitute-variable-values
BUILTINS = {
    "PROJECT_ID", "PROJECT_NUMBER", "BUILD_ID", "LOCATION", "TRIGGER_NAME", "COMMIT_SHA",
    "REVISION_ID", "SHORT_SHA", "REPO_NAME", "REPO_FULL_NAME", "BRANCH_NAME", "TAG_NAME",
    "REF_NAME", "TRIGGER_BUILD_CONFIG_PATH", "SERVICE_ACCOUNT_EMAIL", "SERVICE_ACCOUNT",
}  # fmt: skip
# The name Google's Cloud CLI image page recommends; cloud-sdk:* are older aliases.
SDK_IMAGE = "gcr.io/google.com/cloudsdktool/google-cloud-cli:stable"
SECRET_PATTERNS = {
    "Slack token": re.compile(r"xox[a-z]-|xapp-"),
    "long hex string": re.compile(r"\b[0-9a-fA-F]{32,}\b"),
    "private key": re.compile(r"PRIVATE KEY"),
    "Google API key": re.compile(r"AIza[0-9A-Za-z_-]{20,}"),
}
_SUB_RE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


# --- helpers ---------------------------------------------------------------------------------


def _step(step_id: str) -> dict:
    return next(s for s in STEPS if s.get("id") == step_id)


def _deploy_steps() -> list[dict]:
    return [s for s in STEPS if s.get("args", [])[:2] == ["functions", "deploy"]]


def _flags(step: dict) -> dict[str, str | None]:
    """--name=value -> {"name": "value"}; bare --name -> {"name": None}."""
    out: dict[str, str | None] = {}
    for arg in step["args"]:
        if arg.startswith("--"):
            name, sep, value = arg[2:].partition("=")
            assert name not in out, f"--{name} given twice in step {step.get('id')}"
            out[name] = value if sep else None
    return out


def _resolve(value: str) -> str:
    """Apply the default substitutions (user-defined ones only)."""
    return re.sub(r"\$\{(_[A-Z0-9_]+)\}", lambda m: SUBS[m.group(1)], value)


def _after(step: dict) -> set[str]:
    """Ids of every step that must finish before this one starts (waitFor, followed through)."""
    index = STEPS.index(step)
    wait_for = step.get("waitFor")
    if wait_for is None:  # Cloud Build's default: every step listed before it
        direct = [s["id"] for s in STEPS[:index]]
    else:
        direct = [w for w in wait_for if w != "-"]
    found = set(direct)
    for step_id in direct:
        found |= _after(_step(step_id))
    return found


def _env_vars(step: dict) -> dict[str, str]:
    pairs = (_flags(step).get("set-env-vars") or "").split(",")
    return dict(p.split("=", 1) for p in pairs if p)


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _substitutions_used() -> set[str]:
    used = set()
    for text in _strings({k: v for k, v in CONFIG.items()}):
        for braced, bare in _SUB_RE.findall(text.replace("$$", "")):  # $$ is a literal $
            used.add(braced or bare)
    return used


def _main_py_functions() -> dict[str, ast.FunctionDef]:
    tree = ast.parse((ROOT / "main.py").read_text())
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _is_http_function(node: ast.FunctionDef) -> bool:
    return any(ast.unparse(d) in {"functions_framework.http", "http"} for d in node.decorator_list)


# --- a small gitignore-style matcher (the syntax .gcloudignore borrows) ------------------------


def _glob_to_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 1 :]:
            end = glob.index("]", i + 1)
            body = glob[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return "".join(out)


def _parse_ignore(text: str) -> list[tuple[re.Pattern, bool, bool]]:
    """Rules as (regex on the relative path, negated, directories only)."""
    rules = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        line = line[1:] if negated else line
        dir_only = line.endswith("/")
        line = line.rstrip("/")
        anchored = "/" in line  # a slash anywhere but the end anchors to the root
        body = _glob_to_regex(line.lstrip("/"))
        regex = re.compile(("^" if anchored else "^(?:.*/)?") + body + "$")
        rules.append((regex, negated, dir_only))
    return rules


def _ignored(rules: list, path: str, is_dir: bool = False) -> bool:
    """gitignore semantics: last matching rule wins; nothing inside an ignored dir comes back."""
    parts = path.strip("/").split("/")
    for depth in range(1, len(parts) + 1):
        sub = "/".join(parts[:depth])
        sub_is_dir = is_dir or depth < len(parts)
        verdict = False
        for regex, negated, dir_only in rules:
            if (sub_is_dir or not dir_only) and regex.match(sub):
                verdict = not negated
        if verdict:
            return True
    return False


@cache
def _gcloudignore() -> list:
    return _parse_ignore((ROOT / ".gcloudignore").read_text())


# --- cloudbuild.yaml ---------------------------------------------------------------------------


def test_config_parses_and_has_unique_step_ids():
    assert isinstance(CONFIG, dict) and STEPS
    ids = [s.get("id") for s in STEPS]
    assert all(ids) and len(ids) == len(set(ids))


def test_test_step_runs_pytest_without_browser_or_slow_tests():
    step = _step("test")
    assert step["name"].startswith("python:")
    script = " ".join(step.get("args", []))
    assert re.search(r'python -m pytest .*-m "not browser and not slow"', script)


def test_test_step_installs_the_locked_test_extra():
    """The tests run on exactly the versions the buildpack deploys, and stop on a stale lock."""
    script = " ".join(_step("test").get("args", []))
    sync = re.search(r"\buv sync\b([^\n]*)", script)
    assert sync, "install from uv.lock with uv sync"
    options = sync.group(1).split()
    assert "--locked" in options  # --frozen would install a stale lock without a word
    assert "--extra" in options and options[options.index("--extra") + 1] == "test"
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked_uv = next(p["version"] for p in lock["package"] if p["name"] == "uv")
    assert f"uv=={locked_uv}" in script, "pin the uv that installs the lock to the one it holds"


def test_tests_run_before_every_deploy():
    deploys = _deploy_steps()
    assert len(deploys) >= 2
    test_index = STEPS.index(_step("test"))
    for step in deploys:
        assert STEPS.index(step) > test_index
        assert "test" in step.get("waitFor", []), f"{step['id']} must wait for the tests"


def test_deploys_run_one_after_another():
    # One third-party report has gcloud crash when two gen2 deploys run at once (docs/deploy.md).
    deploys = _deploy_steps()
    for i, first in enumerate(deploys):
        for second in deploys[i + 1 :]:
            assert first["id"] in _after(second) or second["id"] in _after(first), (
                f"{first['id']} and {second['id']} may run at the same time"
            )


def test_no_step_waits_on_dash():
    # waitFor: ["-"] starts a step at the very beginning of the build, i.e. before the tests.
    for step in STEPS:
        assert "-" not in step.get("waitFor", []), step.get("id")


def test_deploy_steps_use_gcloud_functions_gen2_http():
    for step in _deploy_steps():
        assert step["name"] == SDK_IMAGE and step.get("entrypoint") == "gcloud"
        flags = _flags(step)
        for bare in ("gen2", "trigger-http"):
            assert bare in flags and flags[bare] is None, f"--{bare} in {step['id']}"
        assert flags["source"] == "."
        assert flags["region"] == "${_REGION}"
        assert flags["service-account"] == "${_RUNTIME_SA}"
        assert flags.get("timeout"), "choose a timeout explicitly"


def test_every_deploy_builds_as_the_dedicated_build_account():
    for step in _deploy_steps():
        flag = _flags(step).get("build-service-account")
        assert flag == "projects/${PROJECT_ID}/serviceAccounts/${_BUILD_SA}", step["id"]
    build, runtime = _resolve("${_BUILD_SA}"), _resolve("${_RUNTIME_SA}")
    assert build != runtime, "the build account needs rights the running function must not have"
    assert build.endswith(".iam.gserviceaccount.com")


def test_each_entry_point_exists_in_main_py():
    functions = _main_py_functions()
    for step in _deploy_steps():
        entry = _flags(step)["entry-point"]
        assert entry in functions, f"main.py has no top-level function {entry}"


def test_every_http_function_in_main_py_is_deployed_once():
    http = {name for name, node in _main_py_functions().items() if _is_http_function(node)}
    deployed = [_flags(s)["entry-point"] for s in _deploy_steps()]
    assert sorted(deployed) == sorted(http)
    names = [_resolve(s["args"][2]) for s in _deploy_steps()]
    assert len(set(names)) == len(names), "two deploy steps target the same function"


def test_substitutions_are_defined_used_and_well_named():
    used = _substitutions_used()
    for name in used - BUILTINS:
        assert name in SUBS, f"undefined substitution {name}"
    for name in SUBS:
        assert re.fullmatch(r"_[A-Z][A-Z0-9_]*", name), f"badly named substitution {name}"
        assert name in used, f"unused substitution {name} (Cloud Build rejects those)"


def test_substitution_defaults_that_refer_to_others_need_dynamic_substitutions():
    if any("$" in str(v) for v in SUBS.values()):
        assert CONFIG.get("options", {}).get("dynamicSubstitutions") is True


def test_runtime_matches_test_image():
    match = re.fullmatch(r"python:(\d+)\.(\d+)(?:[-.].*)?", _step("test")["name"])
    assert match, "test image must pin a Python minor version"
    runtime = f"python{match.group(1)}{match.group(2)}"
    for step in _deploy_steps():
        assert _resolve(_flags(step)["runtime"]) == runtime


def test_runtime_is_allowed_by_requires_python():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = re.fullmatch(r">=\s*3\.(\d+)", requires)
    assert minimum, f"update this test for requires-python = {requires!r}"
    runtime_minor = int(re.fullmatch(r"python:3\.(\d+).*", _step("test")["name"]).group(1))
    assert runtime_minor >= int(minimum.group(1))


def test_concurrency_above_one_needs_a_whole_cpu_and_matching_threads():
    for step in _deploy_steps():
        flags = _flags(step)
        concurrency = int(flags.get("concurrency") or 1)
        if concurrency > 1:
            assert float(flags.get("cpu") or 0) >= 1, step["id"]
            assert flags.get("memory"), "pass --memory with --cpu (memory otherwise sets CPU)"
            assert int(_env_vars(step).get("THREADS", 0)) == concurrency, step["id"]


def test_every_function_knows_its_project_for_trace_fields():
    for step in _deploy_steps():
        assert _env_vars(step).get("GOOGLE_CLOUD_PROJECT") == "${PROJECT_ID}"


def test_slack_function_is_public_warm_and_gets_its_secrets():
    step = next(s for s in _deploy_steps() if _flags(s)["entry-point"] == "slack_events")
    flags = _flags(step)
    assert "allow-unauthenticated" in flags  # Slack cannot authenticate to Google
    assert int(flags["min-instances"]) >= 1  # cold starts eat Slack's 3-second budget
    secrets = dict(p.split("=", 1) for p in flags["set-secrets"].split(","))
    assert set(secrets) == {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"}
    for ref in secrets.values():
        name, _, version = ref.partition(":")
        assert re.fullmatch(r"\$\{_[A-Z0-9_]+\}", name), "secret names come from substitutions"
        assert version == "latest"


def test_api_function_holds_no_slack_secrets():
    step = next(s for s in _deploy_steps() if _flags(s)["entry-point"] == "run_model")
    flags = _flags(step)
    assert "set-secrets" not in flags
    assert not any(k.startswith("SLACK_") for k in _env_vars(step))
    assert int(flags["min-instances"]) == 0


def test_every_deploy_caps_instances():
    for step in _deploy_steps():
        assert int(_flags(step).get("max-instances") or 0) >= 1, step["id"]


def test_logging_option_allows_a_user_specified_service_account():
    assert CONFIG["options"]["logging"] == "CLOUD_LOGGING_ONLY"


@pytest.mark.parametrize("kind", sorted(SECRET_PATTERNS))
def test_no_secret_looking_values(kind):
    assert not SECRET_PATTERNS[kind].search(CONFIG_TEXT), f"{kind} in cloudbuild.yaml"


@pytest.mark.parametrize(
    "sample", ["xoxb-1-2-abc", "xapp-1-A1-2-b", "a" * 16 + "0123456789abcdef", "AIza" + "x" * 35]
)
def test_secret_patterns_catch_samples(sample):
    assert any(p.search(f"value: {sample}\n") for p in SECRET_PATTERNS.values())


# --- .gcloudignore -----------------------------------------------------------------------------


def test_gcloudignore_lists_patterns_instead_of_including_gitignore():
    lines = (ROOT / ".gcloudignore").read_text().splitlines()
    assert not [line for line in lines if line.startswith("#!include")]


@pytest.mark.parametrize(
    "path, is_dir",
    [
        ("main.py", False),
        ("bot", True),
        ("bot/__init__.py", False),
        ("bot/slack/listeners/commands.py", False),
        ("bot/slack/manifest.yaml", False),
        ("pyproject.toml", False),
        ("requirements.txt", False),
        ("uv.lock", False),
    ],
)
def test_gcloudignore_keeps_what_the_function_needs(path, is_dir):
    assert not _ignored(_gcloudignore(), path, is_dir)


@pytest.mark.parametrize(
    "path, is_dir",
    [
        ("tests", True),
        ("tests/test_cloudbuild.py", False),
        ("bench/run.py", False),
        ("docs/deploy.md", False),
        (".ci/run", False),
        (".git", True),
        (".git/HEAD", False),
        (".venv/bin/python", False),
        ("bot/__pycache__/app.cpython-312.pyc", False),
        (".pytest_cache/v/cache", False),
        ("sysbot.egg-info/PKG-INFO", False),
        ("build/lib/bot/app.py", False),
        ("manifest.yaml", False),
        ("bot/manifest.yaml", False),
        ("cloudbuild.yaml", False),
        ("README.md", False),
        (".env", False),
    ],
)
def test_gcloudignore_leaves_out_what_the_function_does_not_need(path, is_dir):
    assert _ignored(_gcloudignore(), path, is_dir)


def test_gcloudignore_uploads_every_module_and_package_data_file():
    """Everything pip would install from bot/ must also reach the function."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data_globs = pyproject["tool"]["setuptools"].get("package-data", {}).get("bot", [])
    globs = ["*.py", *(g.rsplit("/", 1)[-1] for g in data_globs)]
    # Links (bot/manifest.yaml) point at files outside bot/ that only the CLI reads.
    files = [
        p
        for p in (ROOT / "bot").rglob("*")
        if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts
    ]
    needed = [p for p in files if any(fnmatch.fnmatch(p.name, g) for g in globs)]
    assert needed, "bot/ has no files?"
    dropped = [p for p in needed if _ignored(_gcloudignore(), p.relative_to(ROOT).as_posix())]
    assert not dropped


# --- the matcher itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rules, path, is_dir, expected",
    [
        ("*.md", "README.md", False, True),
        ("*.md", "bot/help/x.md", False, True),
        ("/*.md", "bot/x.md", False, False),
        ("/tests/", "tests/a/b.py", False, True),
        ("/tests/", "bot/tests/b.py", False, False),
        ("tests/", "tests", False, False),  # dir-only pattern vs. a file named tests
        ("__pycache__/", "a/b/__pycache__/c.pyc", False, True),
        ("*.egg-info/", "sysbot.egg-info/PKG-INFO", False, True),
        ("/manifest.yaml", "bot/manifest.yaml", False, False),
        ("docs/**/*.png", "docs/a/b/c.png", False, True),
        ("*.py[cod]", "x.pyc", False, True),
        ("*.md\n!KEEP.md", "KEEP.md", False, False),
        ("/bot/\n!/bot/a.py", "bot/a.py", False, True),  # cannot re-include inside an ignored dir
        ("# comment\n\n", "main.py", False, False),
    ],
)
def test_ignore_matcher(rules, path, is_dir, expected):
    assert _ignored(_parse_ignore(rules), path, is_dir) is expected


def test_ignore_matcher_agrees_with_pathspec_when_installed():
    pathspec = pytest.importorskip("pathspec")
    text = (ROOT / ".gcloudignore").read_text()
    spec = pathspec.GitIgnoreSpec.from_lines(text.splitlines())
    paths = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file()]
    paths += ["requirements.txt", "uv.lock", "bot/slack/manifest.yaml", "sysbot.egg-info/x"]
    paths += ["bot/tests/x.py", "bot/docs/x.html", "bot/build/x.py", ".env.local", "a/.DS_Store"]
    paths += ["venv/bin/python", "bot/venv/x.py", "x.pyo", "bot/x.log", ".coverage.host.1"]
    for path in paths:
        assert _ignored(_gcloudignore(), path) == spec.match_file(path), path
