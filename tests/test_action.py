"""action.yml, run as far as can be without GitHub: each `run:` step is executed
the way the runner does (`bash --noprofile --norc -eo pipefail FILE`), with the
step's `env:` (inputs substituted as GitHub would) and the variables GitHub sets
(GITHUB_ACTIONS, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_BASE_REF,
RUNNER_TEMP). The install step runs against a stand-in `python` that records its
argv (installing for real needs PyPI for the dependencies); the podlint step runs
the real podlint of this environment, and a pull request is a local git repo
with a bare `origin`, so `git fetch` of the base branch works offline."""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys

import pytest
from ruamel.yaml import YAML

from tests.helpers import ROOT
from tests.test_fingerprint import DEPLOY, SERVICE

FIXTURES = ROOT / "tests" / "fixtures" / "diff"
BIN = os.path.dirname(sys.executable)


def action():
    return YAML(typ="safe").load((ROOT / "action.yml").read_text())


def step_env(step, inputs: dict) -> dict:
    defaults = {k: v.get("default", "") for k, v in action()["inputs"].items()}
    values = {**defaults, **inputs}
    out = {}
    for key, value in (step.get("env") or {}).items():
        def sub(match):
            expr = match.group(1).strip()
            if expr.startswith("inputs."):
                return str(values[expr[len("inputs."):]])
            if expr == "github.action_path":
                return str(ROOT)
            raise AssertionError(f"unexpected expression {expr}")
        out[key] = re.sub(r"\$\{\{(.*?)\}\}", sub, str(value))
    return out


def run_step(step, inputs, cwd, extra_env, path_prefix=BIN):
    script = cwd.parent / f"step-{abs(hash(step['run']))}.sh"
    script.write_text(step["run"])
    env = {"PATH": f"{path_prefix}{os.pathsep}/usr/bin:/bin", "HOME": str(cwd.parent),
           "RUNNER_TEMP": str(cwd.parent / "runner-temp"), **extra_env, **step_env(step, inputs)}
    os.makedirs(env["RUNNER_TEMP"], exist_ok=True)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def outputs(path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def steps():
    return {s.get("id") or s["name"]: s for s in action()["runs"]["steps"]}


def test_action_is_composite_and_scripts_hold_no_expressions():
    doc = action()
    assert doc["runs"]["using"] == "composite"
    assert set(doc["inputs"]) >= {"paths", "command", "format", "sarif-file"}
    assert set(doc["outputs"]) == {"exit-code", "findings", "report", "sarif-file"}
    for step in doc["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], "inputs must reach scripts through env only"
            assert step["shell"] == "bash"


def test_install_step_installs_the_action_checkout(tmp_path):
    fake = tmp_path / "fakebin"
    fake.mkdir()
    (fake / "python").write_text(f"#!{sys.executable}\nimport sys\n"
                                 f"open({str(tmp_path / 'argv')!r}, 'w').write(repr(sys.argv[1:]))\n")
    (fake / "python").chmod(0o755)
    work = tmp_path / "w"
    work.mkdir()
    done = run_step(steps()["Install podlint from the action's checkout"], {}, work, {},
                    path_prefix=str(fake))
    assert done.returncode == 0, done.stderr
    argv = eval((tmp_path / "argv").read_text())
    assert argv[:3] == ["-m", "pip", "install"] and argv[-1] == str(ROOT)


@pytest.fixture
def gh(tmp_path):
    work = tmp_path / "repo"
    work.mkdir()
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(tmp_path / "output"),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    for name in ("output", "summary.md"):
        (tmp_path / name).write_text("")
    return work, env


def test_lint_writes_annotations_sarif_and_outputs(gh):
    work, env = gh
    (work / "d.yaml").write_text(DEPLOY)
    (work / "s.yaml").write_text(SERVICE)
    done = run_step(steps()["podlint"], {"paths": "d.yaml s.yaml", "sarif-file": "podlint.sarif"},
                    work, env)
    assert done.returncode == 1, done.stderr
    assert "::warning file=d.yaml,line=13" in done.stdout
    out = outputs(work.parent / "output")
    assert out["exit-code"] == "1" and out["findings"] == "4"
    assert out["sarif-file"] == "podlint.sarif"
    assert json.loads((work / "podlint.sarif").read_text())["version"] == "2.1.0"
    assert json.loads(open(out["report"]).read())["summary"]["findings"] == 4
    # fail: false lets a later step decide
    (work.parent / "output").write_text("")
    done = run_step(steps()["podlint"], {"paths": "d.yaml s.yaml", "fail": "false"}, work, env)
    assert done.returncode == 0 and outputs(work.parent / "output")["exit-code"] == "1"


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(cwd), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def pull_request(gh):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work, env = gh
    origin = work.parent / "origin.git"
    _git(work.parent, "init", "-q", "--bare", "-b", "main", str(origin))
    (work / "k8s").mkdir()
    for name in ("frontend.yaml", "web-statefulset.yaml"):
        shutil.copy(FIXTURES / "old" / name, work / "k8s" / name)
    _git(work, "init", "-q", "-b", "main")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "base")
    _git(work, "remote", "add", "origin", str(origin))
    _git(work, "push", "-q", "origin", "main")
    _git(work, "checkout", "-q", "-b", "feature")
    for name in ("frontend.yaml", "web-statefulset.yaml"):
        shutil.copy(FIXTURES / "new" / name, work / "k8s" / name)
    _git(work, "commit", "-q", "-am", "change")
    return work, {**env, "GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature"}


def test_diff_on_a_pull_request_writes_the_summary_and_outputs(pull_request):
    work, env = pull_request
    done = run_step(steps()["podlint"], {"command": "diff", "paths": "k8s"}, work, env)
    assert done.returncode == 0, done.stdout + done.stderr      # the new finding is info
    assert done.stdout.startswith("## podlint diff\n")
    summary = (work.parent / "summary.md").read_text()
    assert summary == done.stdout
    assert "`git:origin/main` → `k8s`" in summary
    assert "> **Immutable field changed**" in summary
    out = outputs(work.parent / "output")
    assert out["exit-code"] == "0" and out["findings"] == "1"
    assert open(out["report"]).read() == done.stdout
    (work.parent / "output").write_text("")
    failing = run_step(steps()["podlint"], {"command": "diff", "paths": "k8s", "fail-on": "info",
                                            "step-summary": "false"}, work, env)
    assert failing.returncode == 1
    assert outputs(work.parent / "output")["exit-code"] == "1"
    assert (work.parent / "summary.md").read_text() == summary     # not appended again


def test_diff_outside_a_pull_request_is_an_error(gh):
    work, env = gh
    done = run_step(steps()["podlint"], {"command": "diff"}, work, env)
    assert done.returncode == 2
    assert "::error title=podlint::diff needs a pull_request event" in done.stdout
    done = run_step(steps()["podlint"], {"command": "rm -rf /"}, work, env)
    assert done.returncode == 2 and "not rm?-rf??" in done.stdout
