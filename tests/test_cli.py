"""The command line through click's CliRunner with argv lists: exit codes 0/1/2,
output options, rule selection, stdin, and the README's promises about examples/."""
from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint import __version__
from podlint.cli import cli, main
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
        - {name: html, mountPath: /usr/share/nginx/html}
  volumes:
    - name: html
      emptyDir: {}
"""
# PL501 (error) at 10:18, PL502 (warning) at 12:13
BAD = GOOD.replace("{name: html, mountPath", "{name: htlm, mountPath")
WARN_ONLY = GOOD.replace("      emptyDir: {}\n", "      emptyDir: {}\n    - name: spare\n      emptyDir: {}\n")
BROKEN = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "bad.yaml").write_text(BAD)
    (tmp_path / "warn.yaml").write_text(WARN_ONLY)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    return tmp_path


def invoke(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def lines(output: str) -> list[str]:
    """The finding lines, cut after `[severity]`."""
    return [line.split("]")[0] + "]" for line in output.splitlines() if ": PL" in line]


# ----------------------------------------------------------------------------- basics

def test_version():
    result = invoke("--version")
    assert (result.exit_code, result.output) == (0, f"podlint {__version__}\n")
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0


@pytest.mark.parametrize("command", [[], ["lint"], ["explain"], ["graph"], ["rules"], ["rule"]])
def test_every_command_has_help(command):
    for flag in ("--help", "-h"):
        result = invoke(*command, flag)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Usage: ") and "Options:" in result.output
    if not command:
        for name in ("lint", "explain", "graph", "rules", "rule"):
            assert f"  {name} " in result.output


def test_lint_help_documents_the_exit_codes_and_selection():
    result = invoke("lint", "--help")
    text = " ".join(result.output.split())
    assert "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error" in text
    for option in ("--select", "--ignore", "--exit-zero", "--output", "--statistics", "--fail-on",
                   "--format", "--config", "--report-unused-ignores"):
        assert option in text


def test_kubectl_plugin_entry_point():
    scripts = {e.name: e.value for e in entry_points(group="console_scripts")
               if e.name in ("podlint", "kubectl-podlint")}
    assert scripts == {"podlint": "podlint.cli:main", "kubectl-podlint": "podlint.cli:main"}


# ----------------------------------------------------------------------------- exit codes

def test_exit_0_when_clean(work):
    result = invoke("lint", "--select", "PL5", "good.yaml")
    assert result.exit_code == 0
    assert result.output == ("0 findings in 1 file: 1 linted, 0 with errors, 0 skipped; "
                             "1 document, 1 workload\n")


def test_exit_1_with_findings_sorted_with_line_and_column(work):
    result = invoke("lint", "--select", "PL5", "bad.yaml", "good.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'bad.yaml:10:18: PL501 [error] volumeMount "htlm" of container "app" names no volume of the '
        'pod; the API server rejects it (Pod/web/app)',
        'bad.yaml:12:13: PL502 [warning] volume "html" (emptyDir) is not mounted by any container (Pod/web)',
        "2 findings (1 error, 1 warning) in 2 files: 2 linted, 0 with errors, 0 skipped; "
        "2 documents, 2 workloads",
    ]
    assert "\x1b[" not in result.output            # not a terminal: no colour


def test_exit_2_for_parse_errors_and_the_other_files_are_still_linted(work):
    result = invoke("lint", "--select", "PL5", "broken.yaml", "bad.yaml")
    assert result.exit_code == 2
    assert lines(result.output) == ["bad.yaml:10:18: PL501 [error]", "bad.yaml:12:13: PL502 [warning]",
                                    "broken.yaml:5:1: PL001 [error]"]


def test_a_missing_path_is_pl001_exit_2_and_the_rest_is_linted(work):
    result = invoke("lint", "--select", "PL5", "missing.yaml", "bad.yaml", "gone/")
    assert result.exit_code == 2
    assert result.output.splitlines()[:4] == [
        "bad.yaml:10:18: PL501 [error] volumeMount \"htlm\" of container \"app\" names no volume of "
        "the pod; the API server rejects it (Pod/web/app)",
        'bad.yaml:12:13: PL502 [warning] volume "html" (emptyDir) is not mounted by any container (Pod/web)',
        "gone:1:1: PL001 [error] cannot read: no such file or directory",
        "missing.yaml:1:1: PL001 [error] cannot read: no such file or directory",
    ]


@pytest.mark.parametrize("args", [
    ["lint", "--bogus"],
    ["lint", "--format", "xml", "good.yaml"],
    ["lint", "--select", "PL999", "good.yaml"],
    ["lint", "--ignore", "no-such-rule", "good.yaml"],
    ["lint", "--kubernetes-version", "banana", "good.yaml"],
    ["lint", "--jobs", "0", "good.yaml"],
    ["lint", "--max-file-size", "lots", "good.yaml"],
    ["rule", "PL999"],
    ["nosuchcommand"],
])
def test_exit_2_for_usage_errors(work, args):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_exit_zero(work):
    assert invoke("lint", "--select", "PL5", "--exit-zero", "bad.yaml").exit_code == 0
    # errors in the input are never hidden
    assert invoke("lint", "--select", "PL5", "--exit-zero", "broken.yaml").exit_code == 2


def test_fail_on(work):
    assert invoke("lint", "--select", "PL5", "warn.yaml").exit_code == 1
    assert invoke("lint", "--select", "PL5", "--fail-on", "error", "warn.yaml").exit_code == 0
    assert invoke("lint", "--select", "PL5", "--fail-on", "error", "bad.yaml").exit_code == 1
    assert invoke("lint", "--select", "PL401", "--fail-on", "warning", "good.yaml").exit_code == 0
    assert invoke("lint", "--select", "PL401", "--fail-on", "info", "good.yaml").exit_code == 1


# ----------------------------------------------------------------------------- output

def test_output_file(work):
    result = invoke("lint", "--select", "PL5", "-o", "report.txt", "bad.yaml")
    assert result.exit_code == 1 and result.output == ""
    assert lines((work / "report.txt").read_text()) == ["bad.yaml:10:18: PL501 [error]",
                                                       "bad.yaml:12:13: PL502 [warning]"]
    result = invoke("lint", "--select", "PL5", "-f", "json", "--output", "report.json", "bad.yaml")
    report = json.loads((work / "report.json").read_text())
    assert [(f["path"], f["line"], f["column"], f["code"]) for f in report["findings"]] == [
        ("bad.yaml", 10, 18, "PL501"), ("bad.yaml", 12, 13, "PL502")]
    assert set(report["findings"][0]) == {"code", "name", "severity", "message", "path", "line",
                                          "column", "workload", "container", "hint", "fingerprint"}


def test_output_file_that_is_an_input_is_refused(work):
    before = (work / "bad.yaml").read_text()
    result = invoke("lint", "--select", "PL5", "-o", "bad.yaml", "bad.yaml")
    assert result.exit_code == 2 and "would write into the inputs" in result.output
    assert (work / "bad.yaml").read_text() == before
    (work / "k8s").mkdir()
    (work / "k8s" / "a.yaml").write_text(GOOD)
    result = invoke("lint", "-o", "k8s/report.yaml", "k8s")
    assert result.exit_code == 2 and not (work / "k8s" / "report.yaml").exists()
    result = invoke("lint", "--select", "PL5", "-o", "k8s/report.txt", "k8s")
    assert result.exit_code == 0 and (work / "k8s" / "report.txt").exists()


def test_statistics(work):
    result = invoke("lint", "--select", "PL5", "--statistics", "bad.yaml", "warn.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == ["     2  PL502  unused-volume",
                                               "     1  PL501  undefined-volume"]


@pytest.mark.parametrize("select,expected", [
    (["--select", "PL501"], ["PL501"]),
    (["--select", "undefined-volume"], ["PL501"]),
    (["--select", "PL50"], ["PL501", "PL502"]),
    (["--select", "PL5"], ["PL501", "PL502"]),
    (["--select", "PL501,unused-volume"], ["PL501", "PL502"]),
    (["--select", "PL501", "--select", "PL502"], ["PL501", "PL502"]),
    (["--select", "PL5", "--ignore", "unused-volume"], ["PL501"]),
    (["--select", "PL5", "--ignore", "PL50"], []),
    (["--select", "pl501"], ["PL501"]),
])
def test_select_and_ignore_by_code_prefix_and_name(work, select, expected):
    result = invoke("lint", *select, "bad.yaml")
    assert [line.split(": ")[1].split(" ")[0] for line in lines(result.output)] == expected


def test_stdin(work):
    result = invoke("lint", "--select", "PL5", "-", input=BAD)
    assert result.exit_code == 1
    assert lines(result.output) == ["<stdin>:10:18: PL501 [error]", "<stdin>:12:13: PL502 [warning]"]
    result = invoke("lint", "--select", "PL5", "-", "good.yaml", input=BROKEN)
    assert result.exit_code == 2 and lines(result.output) == ["<stdin>:5:1: PL001 [error]"]


def test_rules_and_rule(work):
    listing = invoke("rules")
    assert listing.exit_code == 0
    assert any(line.startswith("PL501  undefined-volume") and " error " in line
               for line in listing.output.splitlines())
    by_code, by_name = invoke("rule", "PL501"), invoke("rule", "undefined-volume")
    assert by_code.exit_code == 0 and by_code.output == by_name.output
    assert by_code.output.startswith("PL501 undefined-volume (error)\n")
    assert "## Example" in by_code.output and "# [PL501]" in by_code.output


# ----------------------------------------------------------------------------- README promises

def test_readme_example_run_shows_findings_and_exits_1(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = invoke("lint", "examples/")
    assert result.exit_code == 1, result.output
    codes = {line.split(": ")[1].split(" ")[0] for line in lines(result.output)}
    assert {"PL004", "PL505", "PL501", "PL502", "PL504", "PL302"} <= codes
    assert not codes & {"PL000", "PL001", "PL002"}
    assert not any(line.startswith("examples/web.yaml") for line in lines(result.output))


def test_the_model_example_is_clean_under_every_rule(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("lint", "--select", "ALL", "examples/web.yaml")
    assert (result.exit_code, lines(result.output)) == (0, [])


def test_readme_opens_with_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    blocks = [b.split("\n", 1)[1].strip() for b in readme.split("```")[1::2]]
    assert blocks[:2] == ["pip install . && podlint lint examples/",
                          "pip install -e '.[test]' && python -m pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.rstrip().splitlines()[-1] == blocks[1]
    assert Path(ROOT / ".ci" / "run").stat().st_mode & 0o111
