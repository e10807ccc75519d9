"""`podlint diff OLD NEW` on edited copies of corpus manifests (tests/fixtures/diff):
rollout fields, immutable changes, timeline moves, findings introduced and fixed,
git:REF sides, formats, exit codes and $GITHUB_STEP_SUMMARY."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "diff"


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "old", tmp_path / "old")
    shutil.copytree(FIXTURES / "new", tmp_path / "new")
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args))


def _objects(doc):
    return {(o["kind"], o["name"]): o for o in doc["objects"]}


def test_json_names_rollout_fields_immutables_timeline_and_findings(work):
    result = run("diff", "old", "new", "-f", "json")
    assert result.exit_code == 0, result.output     # the only new finding is info
    doc = json.loads(result.output)
    assert doc["summary"] == {"added": 0, "removed": 0, "changed": 2, "unchanged": 4,
                              "introduced": 1, "fixed": 2, "rollouts": 1, "immutable": 1}
    objects = _objects(doc)
    front = objects[("Deployment", "frontend")]
    assert front["rollout"] == "yes (3 pod template fields changed)"
    assert [c["path"] for c in front["template_changes"]] == [
        "spec.template.spec.containers[name=server].image",
        "spec.template.spec.containers[name=server].livenessProbe",
        "spec.template.spec.terminationGracePeriodSeconds"]
    assert front["template_changes"][0]["old"] == "frontend"
    assert front["template_changes"][0]["new"] == "frontend:v0.10.1"
    assert front["immutable"] == []
    timeline = {row["metric"]: (row["old"], row["new"]) for row in front["timeline"]}
    assert timeline["grace"] == (30, 60)
    assert timeline["liveness_restart:server"][1] is None
    assert [(f["code"], f["path"]) for f in front["introduced"]] == [("PL202", "new/frontend.yaml")]
    web = objects[("StatefulSet", "web")]
    assert [c["path"] for c in web["immutable"]] == [
        "spec.selector.matchLabels.app",
        "spec.volumeClaimTemplates[0].spec.resources.requests.storage"]
    assert "the apply is rejected" in web["immutable_note"]
    # the new labels leave the StatefulSet without its Service: no traffic, and the
    # Service-based findings on it go away (fixed), which the report must not hide
    services = [row for row in web["timeline"] if row["metric"] == "services"]
    assert services == [{"metric": "services", "old": ["nginx"], "new": [], "changed": True}]
    assert sorted(f["code"] for f in web["fixed"]) == ["PL201", "PL301"]


def test_fixed_findings_and_fail_on(work):
    # Reversed, the removed probe comes back: PL202 is fixed, nothing introduced.
    doc = json.loads(run("diff", "new", "old", "-f", "json").output)
    front = _objects(doc)[("Deployment", "frontend")]
    assert [f["code"] for f in front["fixed"]] == ["PL202"]
    assert front["introduced"] == []
    # At --fail-on info the introduced PL202 fails the change.
    assert run("diff", "old", "new", "--fail-on", "info").exit_code == 1
    assert run("diff", "old", "new", "--fail-on", "info", "--exit-zero").exit_code == 0


def test_same_tree_is_quiet_and_renames_are_remove_plus_add(work):
    same = run("diff", "old", "old")
    assert same.exit_code == 0
    assert "0 changed, 0 added, 0 removed, 6 unchanged" in same.output
    text = (work / "new" / "frontend.yaml").read_text().replace("name: frontend\n  labels", "name: web-frontend\n  labels", 1)
    (work / "new" / "frontend.yaml").write_text(text)
    doc = json.loads(run("diff", "old", "new", "-f", "json").output)
    statuses = {(o["kind"], o["name"]): o["status"] for o in doc["objects"]}
    assert statuses[("Deployment", "frontend")] == "removed"
    assert statuses[("Deployment", "web-frontend")] == "added"


def test_warning_introduced_exits_1(work):
    text = (work / "new" / "frontend.yaml").read_text().replace(
        "          readinessProbe:\n", "          readinessProbe:\n            timeoutSeconds: 20\n", 1)
    (work / "new" / "frontend.yaml").write_text(text)
    result = run("diff", "old", "new")
    assert result.exit_code == 1
    assert "+ new/frontend.yaml:" in result.output and "PL204 [warning]" in result.output


def test_markdown_and_step_summary(work, monkeypatch):
    summary = work / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run("diff", "old", "new", "-f", "markdown", "--step-summary")
    assert result.exit_code == 0
    assert result.output.startswith("## podlint diff\n")
    assert "### StatefulSet `web`: changed" in result.output
    assert "> **Immutable field changed**: spec.selector, spec.volumeClaimTemplates cannot change" in result.output
    assert "<details><summary>Pod template changes (3)</summary>" in result.output
    assert "| grace period | 30 s | **60 s** |" in result.output
    assert "| pod Ready | 10 s or later | 10 s or later |" in result.output
    assert "| pod gone after deletion | 0-30 s | **0-60 s** |" in result.output
    assert summary.read_text() == result.output
    # without --step-summary nothing is appended
    run("diff", "old", "new", "-f", "markdown")
    assert summary.read_text() == result.output


def test_markdown_escapes_untrusted_text(work):
    text = (work / "new" / "frontend.yaml").read_text().replace(
        "- name: server", "- name: \"a|b<script>`x`\"", 1)
    (work / "new" / "frontend.yaml").write_text(text)
    output = run("diff", "old", "new", "-f", "markdown").output
    import re
    # code spans show their content literally (CommonMark): outside them, no raw HTML
    outside = re.sub(r"`[^`\n]*`", "", output)
    assert "<script>" not in outside
    assert "a\\|b&lt;script&gt;" in outside       # in the findings table
    assert "a&#124;b<script>'x'" in output        # inside a code span: pipe escaped, backticks replaced


def _git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "HOME": str(cwd), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    for name in ("frontend.yaml", "web-statefulset.yaml"):
        shutil.copy(FIXTURES / "old" / name, root / "k8s" / name)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "old")
    for name in ("frontend.yaml", "web-statefulset.yaml"):
        shutil.copy(FIXTURES / "new" / name, root / "k8s" / name)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return root


def test_git_ref_reads_the_same_paths_at_a_revision(repo):
    result = run("diff", "git:main", "k8s", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["old"] == "git:main"
    front = _objects(doc)[("Deployment", "frontend")]
    assert front["rollout"] == "yes (3 pod template fields changed)"
    assert front["introduced"][0]["path"] == "k8s/frontend.yaml"
    # and the other way round, from a subfolder, a single file
    import os
    os.chdir(repo / "k8s")
    back = json.loads(run("diff", "frontend.yaml", "git:HEAD", "-f", "json").output)
    assert [f["code"] for f in _objects(back)[("Deployment", "frontend")]["fixed"]] == ["PL202"]


@pytest.mark.parametrize("spec, message", [
    ("git:--output=/tmp/x", "starts with '-'"),
    ("git:-h", "starts with '-'"),
    ("git:", "needs a revision"),
    ("git:main:k8s", "holds ':'"),
    ("git:no-such-branch", "git ls-tree failed"),
])
def test_git_refs_are_only_revisions(repo, spec, message):
    result = run("diff", spec, "k8s")
    assert result.exit_code == 2
    assert message in result.output
    assert not (repo / "x").exists()


def test_new_file_at_head_is_all_added(repo):
    shutil.copy(FIXTURES / "old" / "frontend.yaml", repo / "k8s" / "extra.yaml")
    result = run("diff", "git:main", "k8s/extra.yaml", "-f", "json")
    assert result.exit_code == 1, result.output    # its warnings are all new
    objects = json.loads(result.output)["objects"]
    assert {o["status"] for o in objects} == {"added"}
    assert "PL301" in {f["code"] for o in objects for f in o["introduced"]}


def test_shutdown_budget_moves_with_a_prestop(work):
    text = (work / "new" / "frontend.yaml").read_text().replace(
        "          env:\n", "          lifecycle: {preStop: {exec: {command: [sleep, '90']}}}\n          env:\n", 1)
    (work / "new" / "frontend.yaml").write_text(text)
    result = run("diff", "old", "new")
    assert result.exit_code == 1                    # PL302: the preStop outlasts the 60 s grace
    assert "  preStop (server): no preStop -> 90 s of the 60 s grace (SIGKILL first)\n" in result.output
    assert "PL302 [error]" in result.output
    assert "  pod Ready: 10 s or later (unchanged)\n" in result.output
    assert "  grace period: 30 s -> 60 s\n" in result.output


def test_docs_diff_example_is_real(monkeypatch):
    import re

    monkeypatch.chdir(FIXTURES)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    shown = re.search(r"```text\n(.*?)```", (ROOT / "docs" / "diff.md").read_text(), re.S).group(1)
    assert run("diff", "old", "new").output == shown


def test_the_same_object_in_two_folders_pairs_nth_with_nth(work):
    for side in ("old", "new"):
        (work / side / "b").mkdir()
        shutil.copy(FIXTURES / "old" / "frontend.yaml", work / side / "b" / "frontend.yaml")
    # old/b and new/b hold the same frontend twice: only new/frontend.yaml's copy changed
    doc = json.loads(run("diff", "old", "new", "-f", "json").output)
    fronts = [o for o in doc["objects"] if o["name"] == "frontend" and o["kind"] == "Deployment"]
    assert [(o["status"], o["path"]) for o in fronts] == [("changed", "new/frontend.yaml")]
    assert doc["summary"]["changed"] == 2


def test_unparsable_new_file_is_exit_2_and_explained(work):
    (work / "new" / "frontend.yaml").write_text("kind: [\n")
    result = run("diff", "old", "new")
    assert result.exit_code == 2
    assert "error: new/frontend.yaml:2:" in result.output and "PL001" in result.output
    assert "what it held shows as removed" in result.output
    assert "Traceback" not in result.output


JOB = """\
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: migrate, image: "example/migrate:1", command: [./migrate]}
"""
POD = """\
apiVersion: v1
kind: Pod
metadata: {name: tool}
spec:
  containers:
    - {name: tool, image: "busybox:1.36", command: [sleep, "3600"]}
"""
RS = """\
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec:
      containers:
        - {name: app, image: "nginx:1.27"}
"""
DS_ONDELETE = """\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  updateStrategy: {type: OnDelete}
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - {name: agent, image: "example/agent:1"}
"""


@pytest.mark.parametrize("before, edit, rollout, immutable", [
    (JOB, ("migrate:1", "migrate:2"), None, ["spec.template.spec.containers[name=migrate].image"]),
    (POD, ("busybox:1.36", "busybox:1.37"), None, []),                       # images change in place
    (POD, ('"3600"]', '"7200"]'), None, ["spec.containers[name=tool].command[1]"]),
    (RS, ("nginx:1.27", "nginx:1.28"), "no rollout: running pods keep the old template, only new "
                                       "pods get it (1 pod template field changed)", []),
    (DS_ONDELETE, ("agent:1", "agent:2"), "no automatic rollout: updateStrategy OnDelete (1 pod "
                                          "template field changed; pods change only when deleted)", []),
])
def test_what_an_apply_does_per_kind(tmp_path, monkeypatch, before, edit, rollout, immutable):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(before)
    (tmp_path / "b.yaml").write_text(before.replace(*edit))
    doc = json.loads(run("diff", "a.yaml", "b.yaml", "-f", "json").output)
    [item] = [o for o in doc["objects"] if o["status"] == "changed"]
    assert item["rollout"] == rollout
    assert [c["path"] for c in item["immutable"]] == immutable


def test_stdin_side_and_usage_errors(work):
    stdin = (work / "old" / "frontend.yaml").read_text()
    result = CliRunner().invoke(cli, ["diff", "-", "new", "-f", "json"], input=stdin)
    front = _objects(json.loads(result.output))[("Deployment", "frontend")]
    assert front["status"] == "changed" and front["path"] == "new/frontend.yaml"
    assert run("diff", "-", "-").exit_code == 2
    assert run("diff", "git:a", "git:b").exit_code == 2


def test_services_are_counted_only_in_the_workloads_scope(work):
    # A Service selecting app: web-nginx in another folder is another application:
    # it does not give the relabelled StatefulSet its traffic back.
    (work / "new" / "elsewhere").mkdir()
    (work / "new" / "elsewhere" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: other}\nspec:\n"
        "  selector: {app: web-nginx}\n  ports: [{port: 80}]\n")
    doc = json.loads(run("diff", "old", "new", "-f", "json").output)
    web = _objects(doc)[("StatefulSet", "web")]
    assert [r["new"] for r in web["timeline"] if r["metric"] == "services"] == [[]]
    # in the StatefulSet's own file (which bundles its Service: a closed stream), it does
    with open(work / "new" / "web-statefulset.yaml", "a") as handle:
        handle.write("---\n" + (work / "new" / "elsewhere" / "svc.yaml").read_text())
    doc = json.loads(run("diff", "old", "new", "-f", "json").output)
    web = _objects(doc)[("StatefulSet", "web")]
    assert [r["new"] for r in web["timeline"] if r["metric"] == "services"] == [["other"]]


def test_rollout_model_is_used_when_present(work, monkeypatch):
    """podlint.rollout (issue 11) is not on main yet: a stand-in with its interface
    (`rollout_for(workload, timeline)` -> object with `to_dict()`) shows the diff
    reads waves, capacity floor and duration from it, and survives it failing."""
    import sys
    import types

    module = types.ModuleType("podlint.rollout")

    class Rollout:
        def __init__(self, grace):
            self.grace = grace

        def to_dict(self):
            return {"strategy": "RollingUpdate", "waves": 1, "min_available": 0,
                    "duration_earliest": 10 + self.grace, "duration_latest": None, "steps": []}

    def rollout_for(workload, timeline):
        if workload.kind == "StatefulSet":
            raise RuntimeError("model failure")
        return Rollout(timeline.grace)

    module.rollout_for = rollout_for
    monkeypatch.setitem(sys.modules, "podlint.rollout", module)
    doc = json.loads(run("diff", "old", "new", "-f", "json", "--jobs", "1").output)
    rows = {r["metric"]: r for r in _objects(doc)[("Deployment", "frontend")]["timeline"]}
    assert rows["rollout"]["old"] == {"strategy": "RollingUpdate", "waves": 1, "min_available": 0,
                                      "duration_earliest": 40, "duration_latest": None}
    assert rows["rollout"]["new"]["duration_earliest"] == 70
    text = run("diff", "old", "new", "--jobs", "1").output
    assert ("  predicted rollout: RollingUpdate, 1 wave, min available 0, 40 s or later -> "
            "RollingUpdate, 1 wave, min available 0, 70 s or later\n") in text


def test_git_ref_with_an_absolute_path(repo):
    result = run("diff", "git:main", str(repo / "k8s"), "-f", "json")
    assert result.exit_code == 0, result.output
    front = _objects(json.loads(result.output))[("Deployment", "frontend")]
    assert front["status"] == "changed"
    assert front["rollout"] == "yes (3 pod template fields changed)"
