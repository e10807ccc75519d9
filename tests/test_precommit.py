"""The real pre-commit hook, run by the real `pre-commit try-repo`.

try-repo needs the hook repository to be a git repository with a commit, and
takes uncommitted changes of tracked files only (libraries.md 4.1). So that the
test sees exactly this working tree, in a fresh CI clone and locally alike, it
copies the tracked and new (not ignored) files into a temporary repository,
commits them, and points try-repo at that. pre-commit then builds a virtualenv
and pip-installs podlint from it, as a user's pre-commit would: this needs PyPI
(or the pip cache) and takes a minute the first time.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

GOOD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - name: html
          mountPath: /usr/share/nginx/html
  volumes:
    - name: html
      emptyDir: {}
"""
BAD = GOOD.replace("        - name: html\n", "        - name: htlm\n")
BAD_JSON = ('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"}, "spec": {"containers": '
            '[{"name": "a", "image": "nginx:1.27", "volumeMounts": [{"name": "x", "mountPath": "/x"}]}]}}\n')
# The hook is what is under test, not the rule set (which grows): the repository's own
# config keeps the run to the input and volume rules, and proves the hook reads it.
# Its `exclude` shows the hook's --force-exclude: pre-commit names vendor/bad.yaml
# explicitly, and the config still keeps it out.
CONFIG = "select: [PL0, PL5]\nexclude: ['vendor/**']\n"

GIT = ["git", "-c", "user.name=podlint-test", "-c", "user.email=test@podlint.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]


def project_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return sorted(name for name in out.split("\0") if name and (ROOT / name).is_file())


def git(*args: str, cwd: Path) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    hook_repo = tmp_path_factory.mktemp("podlint-hook-repo")
    for name in project_files():
        destination = hook_repo / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    assert (hook_repo / ".pre-commit-hooks.yaml").is_file()
    git("init", "-q", cwd=hook_repo)
    git("add", "-A", cwd=hook_repo)
    git("commit", "-q", "-m", "snapshot of the podlint working tree", cwd=hook_repo)

    user_repo = tmp_path_factory.mktemp("user-repo")
    git("init", "-q", cwd=user_repo)
    (user_repo / "good.yaml").write_text(GOOD)
    (user_repo / "bad.yaml").write_text(BAD)
    (user_repo / "bad.json").write_text(BAD_JSON)
    (user_repo / "notes.txt").write_text(BAD)              # not yaml/json: never handed over
    (user_repo / "vendor").mkdir()
    (user_repo / "vendor" / "bad.yaml").write_text(BAD)    # excluded by the config
    (user_repo / ".podlint.yaml").write_text(CONFIG)
    shutil.copytree(ROOT / "tests" / "fixtures" / "loader" / "helm" / "shop", user_repo / "chart")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return hook_repo, user_repo, home


def try_repo(repos, *files: str, hook: str = "podlint") -> subprocess.CompletedProcess:
    hook_repo, user_repo, home = repos
    # try-repo always builds its environment in a fresh temporary store; not
    # byte-compiling the ~20,000 installed files (networkx, kubernetes-validate's
    # schemas) takes each build from about 2 minutes to about 30 s.
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never",
           "NO_COLOR": "1", "PIP_NO_COMPILE": "1"}
    env.pop("GITHUB_ACTIONS", None)          # keep podlint's text format
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook,
                           "--verbose", "--files", *files],
                          cwd=user_repo, env=env, capture_output=True, text=True, timeout=1500)


def test_hook_manifest_is_what_the_readme_documents():
    from ruamel.yaml import YAML

    (hook, fix_hook) = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook == {
        "id": "podlint", "name": "podlint",
        "description": hook["description"],
        "entry": "podlint lint --force-exclude", "language": "python", "types_or": ["yaml", "json"],
        "require_serial": True, "minimum_pre_commit_version": "3.2.0",
    }
    assert fix_hook == {**hook, "id": "podlint-fix", "name": "podlint fix",
                        "description": fix_hook["description"], "entry": "podlint fix --force-exclude"}


def test_hook_passes_on_a_good_manifest(repos):
    run = try_repo(repos, "good.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "podlint" in run.stdout and "Passed" in run.stdout
    assert "0 findings in 1 file" in run.stdout


def test_hook_fails_and_prints_the_findings_on_a_bad_manifest(repos):
    run = try_repo(repos, "good.yaml", "bad.yaml", "bad.json", "notes.txt", "vendor/bad.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Failed" in run.stdout and "- exit code: 1" in run.stdout
    assert ('bad.yaml:10:17: PL501 [error] volumeMount "htlm" of container "app" names no volume'
            in run.stdout)
    assert "bad.yaml:13:13: PL502 [warning]" in run.stdout
    assert 'bad.json:1:151: PL501 [error] volumeMount "x"' in run.stdout
    assert "notes.txt" not in run.stdout and "vendor" not in run.stdout
    assert "in 3 files" in run.stdout          # good.yaml, bad.yaml, bad.json: one process


# ----------------------------------------------------------------------------- README snippets as written
# The README's install instructions, run as a user would: the only edits are the
# ones the README tells the user to make (the repository address; `rev:` is left
# to `pre-commit autoupdate`, as the README says). The address is the snapshot
# repository above, which has this working tree as its one commit.

README_URL = "https://github.com/<owner>/podlint"


def readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.S | re.M)


def readme_block(language: str, needle: str) -> str:
    (block,) = [b for b in readme_blocks(language) if needle in b]
    return block


def head_of(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True,
                          check=True).stdout.strip()


def pre_commit(home: Path, cwd: Path, *args: str, path_first: str | None = None):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never",
           "NO_COLOR": "1", "PIP_NO_COMPILE": "1"}
    env.pop("GITHUB_ACTIONS", None)
    if path_first:
        env["PATH"] = path_first + os.pathsep + env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=1500)


def user_project(tmp_path: Path, config: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(config)
    (project / "good.yaml").write_text(GOOD)
    (project / "bad.yaml").write_text(BAD)
    (project / ".podlint.yaml").write_text(CONFIG)
    return project


def test_readme_pre_commit_snippet_works_after_autoupdate(repos, tmp_path):
    hook_repo, _, home = repos
    snippet = readme_block("yaml", "rev: <commit>")
    assert README_URL in snippet and "v0.1.0" not in snippet
    project = user_project(tmp_path, snippet.replace(README_URL, str(hook_repo)))

    update = pre_commit(home, project, "autoupdate")
    assert update.returncode == 0, update.stdout + update.stderr
    pinned = (project / ".pre-commit-config.yaml").read_text()
    assert pinned == snippet.replace(README_URL, str(hook_repo)).replace(
        "rev: <commit>", f"rev: {head_of(hook_repo)}")

    run = pre_commit(home, project, "run", "--files", "good.yaml", "bad.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "podlint" in run.stdout and "Failed" in run.stdout
    assert 'bad.yaml:10:17: PL501 [error] volumeMount "htlm"' in run.stdout
    assert "in 2 files" in run.stdout


def test_readme_local_hook_uses_the_installed_podlint(repos, tmp_path):
    _, _, home = repos
    from ruamel.yaml import YAML

    snippet = readme_block("yaml", "repo: local")
    (local,) = YAML(typ="safe").load(snippet)["repos"][0]["hooks"]
    published = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]   # the lint hook
    for key in ("id", "entry", "types_or", "require_serial"):      # the same hook, run locally
        assert local[key] == published[key], key
    project = user_project(tmp_path, snippet)
    # the podlint of this test run's environment, as the README's "already installed"
    bin_dir = os.path.dirname(shutil.which("podlint", path=os.path.dirname(sys.executable)) or "")
    assert bin_dir, "podlint is not installed beside this Python"
    run = pre_commit(home, project, "run", "--files", "good.yaml", "bad.yaml", path_first=bin_dir)
    assert run.returncode == 1, run.stdout + run.stderr
    assert 'bad.yaml:10:17: PL501 [error] volumeMount "htlm"' in run.stdout
    assert "in 2 files" in run.stdout
    clean = pre_commit(home, project, "run", "--files", "good.yaml", path_first=bin_dir)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_readme_ci_snippet_installs_and_runs(repos, tmp_path):
    """The GitHub Actions steps, in a fresh virtualenv, under GITHUB_ACTIONS=true."""
    from ruamel.yaml import YAML

    hook_repo, _, _ = repos
    steps = YAML(typ="safe").load(readme_block("yaml", "# GitHub Actions"))
    commands = [step["run"] for step in steps if "run" in step]
    assert commands[0] == f'pip install "git+{README_URL}@<commit>"'
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    workspace = tmp_path / "workspace"
    (workspace / "k8s").mkdir(parents=True)
    (workspace / "k8s" / "bad.yaml").write_text(BAD)
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
           "GITHUB_ACTIONS": "true", "PIP_NO_COMPILE": "1", "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    url = f"file://{hook_repo}"
    runs = []
    for command in commands:
        command = command.replace(README_URL, url).replace("<commit>", head_of(hook_repo))
        runs.append(subprocess.run(["bash", "-c", command], cwd=workspace, env=env,
                                   capture_output=True, text=True, timeout=900))
    install, annotate, sarif = runs
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]
    assert (venv / "bin" / "podlint").exists()
    assert annotate.returncode == 1, annotate.stdout + annotate.stderr
    assert any(line.startswith("::error file=k8s/bad.yaml,line=10,col=17,title=PL501 ")
               for line in annotate.stdout.splitlines()), annotate.stdout
    assert sarif.returncode == 0, sarif.stderr
    log = json.loads((workspace / "podlint.sarif").read_text())
    assert "PL501" in {r["ruleId"] for r in log["runs"][0]["results"]}


def test_every_documented_install_is_a_tested_one():
    """No `pip install podlint` (no index serves it) and no made-up tag."""
    allowed = {"pip install . && podlint lint examples/", "pip install -e '.[test]' && python -m pytest",
               f'pip install "git+{README_URL}@<commit>"'}
    seen = set()
    for name in ("README.md", "docs/output-formats.md", "docs/configuration.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for line in text.splitlines():
            command = re.match(r"^\s*(?:- run: |- |\$ )?(pip install .*)$", line)
            if command:
                assert command.group(1).strip() in allowed, (name, line)
                seen.add(command.group(1).strip())
        assert "rev: v0." not in text, name
    assert seen == allowed

def test_hook_skips_the_templates_of_a_chart_in_the_repository(repos):
    """A repository with a Helm chart: pre-commit hands over Chart.yaml, values.yaml
    and the templates by name; the templates are skipped with a notice, and the
    hook passes (the deployment template alone would be reported if linted)."""
    run = try_repo(repos, "good.yaml", "chart/Chart.yaml", "chart/values.yaml",
                   "chart/templates/deployment.yaml", "chart/templates/configmap.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout
    for name in ("deployment.yaml", "configmap.yaml"):
        assert (f"chart/templates/{name}: skipped: Helm chart template (templates/ folder of a chart): "
                "render the chart first") in run.stdout
    assert "0 findings in 5 files" in run.stdout


# PL004 is in the repository's `select: [PL0, PL5]`, so the fix hook migrates it.
OLD_API = """\
apiVersion: extensions/v1beta1   # keep this comment
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "nginx:1.27"}]
"""


def test_fix_hook_rewrites_a_staged_file_and_fails_the_commit(repos):
    _, user_repo, _ = repos
    (user_repo / "old.yaml").write_text(OLD_API)
    git("add", "old.yaml", cwd=user_repo)
    run = try_repo(repos, "old.yaml", hook="podlint-fix")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "podlint fix" in run.stdout and "Failed" in run.stdout
    assert "files were modified by this hook" in run.stdout
    assert "old.yaml:1:13: PL004 fixed: apiVersion: apps/v1 with spec.selector" in run.stdout
    assert (user_repo / "old.yaml").read_text() == OLD_API.replace(
        "extensions/v1beta1", "apps/v1").replace(
        "spec:\n  template:", "spec:\n  selector:\n    matchLabels:\n      app: web\n  template:")
    git("add", "old.yaml", cwd=user_repo)
    again = try_repo(repos, "old.yaml", hook="podlint-fix")
    assert again.returncode == 0 and "Passed" in again.stdout, again.stdout + again.stderr
