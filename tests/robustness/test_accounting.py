"""Every file is accounted for: linted, with parse errors, or skipped, and the summary
adds up. A path that cannot be read is a PL001 naming the reason (exit 2) and
the rest of the run goes on; a folder without manifests says so."""
from __future__ import annotations

import os
import shutil

from podlint import run as run_module
from tests.robustness.support import assert_accounted, invoke, podlint

POD = """apiVersion: v1
kind: Pod
metadata: {name: ok}
spec:
  containers:
    - name: app
      image: "nginx:1.27"
      volumeMounts: [{name: missing, mountPath: /data}]
"""
TEMPLATED = "{{- if .Values.enabled }}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n{{- end }}\n"
NOT_REGULAR = "cannot read: not a regular file (FIFO, socket or device)"
MISSING = "cannot read: no such file or directory"


def _rows(report: dict) -> list[tuple]:
    return [(f["path"], f["line"], f["column"], f["code"], f["message"]) for f in report["findings"]]


def _unreadable_tree(tmp_path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ok.yaml").write_text(POD)
    (repo / "templated.yaml").write_text(TEMPLATED)
    (repo / "README.md").write_text("not a manifest\n")
    os.mkfifo(repo / "fifo.yaml")
    os.symlink("/dev/null", repo / "device.yaml")
    os.symlink(tmp_path / "nowhere.yaml", repo / "dangling.yaml")
    os.symlink("self.yaml", repo / "self.yaml")
    os.symlink(".", repo / "loop")


def test_unreadable_paths_are_pl001_with_the_reason_and_the_rest_is_linted(tmp_path, monkeypatch):
    _unreadable_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--select", "PL501", "-f", "json",
                 "repo", "nothere.yaml", "/dev/zero")
    assert out.exit_code == 2
    report = out.json()
    assert _rows(report) == [
        ("/dev/zero", 1, 1, "PL001", NOT_REGULAR),
        ("nothere.yaml", 1, 1, "PL001", MISSING),
        ("repo/dangling.yaml", 1, 1, "PL001", MISSING),
        ("repo/device.yaml", 1, 1, "PL001", NOT_REGULAR),
        ("repo/fifo.yaml", 1, 1, "PL001", NOT_REGULAR),
        ("repo/loop", 1, 1, "PL001", "cannot read: directory symlink loop (already visited)"),
        ("repo/ok.yaml", 8, 29, "PL501", 'volumeMount "missing" of container "app" names no '
         "volume of the pod; the API server rejects it"),
        ("repo/self.yaml", 1, 1, "PL001", "cannot read: too many levels of symbolic links"),
    ]
    summary = report["summary"]
    assert_accounted(summary, files=9)
    assert (summary["files_linted"], summary["files_with_errors"], summary["files_skipped"]) == (1, 7, 1)
    assert summary["skipped"] == [{"path": "repo/templated.yaml",
                                   "reason": "Go template markers ({{ }}): render the chart first"}]


def test_text_summary_counts_the_same_files(tmp_path, monkeypatch):
    _unreadable_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--select", "PL501", "repo", "nothere.yaml")
    assert out.exit_code == 2
    lines = out.stdout.splitlines()
    assert "repo/templated.yaml: skipped: Go template markers ({{ }}): render the chart first" in lines
    assert lines[-1] == ("7 findings (7 errors) in 8 files: 1 linted, 6 with parse errors, 1 skipped; "
                         "1 document, 1 workload")


def test_chart_templates_are_skipped_and_rendered_output_is_linted(tmp_path, monkeypatch):
    """A repository holding a chart (Chart.yaml, templates/ that parse and that do
    not) and the chart's `helm template` output: every template is skipped and
    listed with its reason, the rendered file is linted, and the counts add up."""
    from tests.robustness.support import ROOT

    shutil.copytree(ROOT / "tests" / "fixtures" / "loader" / "helm", tmp_path / "repo")
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--select", "PL0,PL501", "-f", "json", "repo")
    assert out.exit_code == 1
    report = out.json()
    assert [(f["path"], f["line"], f["code"]) for f in report["findings"]] == [
        ("repo/rendered.yaml", 52, "PL501")]
    chart = "Helm chart template (templates/ folder of a chart): render the chart first"
    text = "Go template markers ({{ }}): render the chart first"
    assert [(s["path"], s["reason"]) for s in report["summary"]["skipped"]] == [
        ("repo/outside_a_chart.yaml", text), ("repo/shop/templates/configmap.yaml", chart),
        ("repo/shop/templates/deployment.yaml", chart), ("repo/shop/templates/serviceaccount.yaml", chart),
        ("repo/variables_only.yaml", text)]
    assert_accounted(report["summary"], files=8)


def test_shared_folder_reached_through_two_symlinks_is_not_a_loop(tmp_path, monkeypatch):
    """A diamond (two symlinks to one folder) is linted once, without an error;
    only a folder that contains itself is a loop."""
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "pod.yaml").write_text(POD)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        os.symlink("../common", tmp_path / name / "common")
    monkeypatch.chdir(tmp_path)
    for order in (("a", "b", "common"), ("common", "b", "a"), (".",)):
        out = invoke("lint", "--no-config", "--select", "PL501", "-f", "json", *order)
        assert out.exit_code == 1, (order, out.stdout)
        report = out.json()
        assert [row[3] for row in _rows(report)] == ["PL501"], order
        assert_accounted(report["summary"], files=1)
    # whatever the order, the same display path wins
    paths = {invoke("lint", "--no-config", "--select", "PL501", "-f", "json", *order).json()
             ["findings"][0]["path"] for order in (("a", "b"), ("b", "a"))}
    assert paths == {"a/common/pod.yaml"}


def test_permission_denied_is_pl001(tmp_path):
    """Tests run as root, which reads any file: the run drops the capabilities
    that let root ignore permissions (setpriv), so chmod 000 bites again."""
    repo = tmp_path / "repo"
    (repo / "locked").mkdir(parents=True)
    (repo / "locked" / "pod.yaml").write_text(POD)
    (repo / "secret.yaml").write_text(POD)
    (repo / "ok.yaml").write_text(POD)
    os.chmod(repo / "secret.yaml", 0)
    os.chmod(repo / "locked", 0)
    prefix = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "running as root needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE"
        drop = "-dac_override,-dac_read_search"
        prefix = (setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}")
    try:
        out = podlint("lint", "--no-config", "--select", "PL501", "-f", "json", "repo",
                      cwd=tmp_path, prefix=prefix)
    finally:
        os.chmod(repo / "locked", 0o755)
        os.chmod(repo / "secret.yaml", 0o644)
    assert out.exit_code == 2
    report = out.json()
    assert [row[:4] for row in _rows(report)] == [
        ("repo/locked", 1, 1, "PL001"),
        ("repo/ok.yaml", 8, 29, "PL501"),
        ("repo/secret.yaml", 1, 1, "PL001"),
    ]
    assert {row[4] for row in _rows(report) if row[3] == "PL001"} == {"cannot read: permission denied"}
    assert_accounted(report["summary"], files=3)


def test_file_that_vanishes_during_the_run_is_pl001(tmp_path, monkeypatch):
    (tmp_path / "stays.yaml").write_text(POD)
    (tmp_path / "gone.yaml").write_text(POD)
    real_discover = run_module.discover

    def discover_then_delete(paths):
        sources = real_discover(paths)
        (tmp_path / "gone.yaml").unlink()
        return sources

    monkeypatch.setattr(run_module, "discover", discover_then_delete)
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--select", "PL501", "-f", "json", ".")
    assert out.exit_code == 2
    report = out.json()
    assert [row[:4] for row in _rows(report)] == [("./gone.yaml", 1, 1, "PL001"),
                                                  ("./stays.yaml", 8, 29, "PL501")]
    assert report["findings"][0]["message"] == MISSING
    assert_accounted(report["summary"], files=2)


def test_folder_without_manifests_says_so_and_exits_0(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text("# docs\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "pod.yaml").write_text(POD)       # hidden folders are skipped
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", ".")
    assert out.exit_code == 0
    assert out.stdout == ("no manifests found (.yaml, .yml or .json)\n"
                          "0 findings in 0 files: 0 linted, 0 with parse errors, 0 skipped; "
                          "0 documents, 0 workloads\n")
    report = invoke("lint", "--no-config", "-f", "json", "empty").json()
    assert report["findings"] == []
    assert_accounted(report["summary"], files=0)


def test_fail_if_empty_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--fail-if-empty", ".")
    assert out.exit_code == 2
    assert out.stderr == "podlint: error: no manifest files found\n"


def test_stdin_is_one_accounted_file():
    out = invoke("lint", "--no-config", "--select", "PL501", "-f", "json", "-", input=POD)
    assert out.exit_code == 1
    report = out.json()
    assert [row[:4] for row in _rows(report)] == [("<stdin>", 8, 29, "PL501")]
    assert_accounted(report["summary"], files=1)
