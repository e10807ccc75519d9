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
    assert result.output == ("0 findings in 1 file: 1 linted, 0 with parse errors, 0 skipped; "
                             "1 document, 1 workload\n")


def test_exit_1_with_findings_sorted_with_line_and_column(work):
    result = invoke("lint", "--select", "PL5", "bad.yaml", "good.yaml")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'bad.yaml:10:18: PL501 [error] volumeMount "htlm" of container "app" names no volume of the '
        'pod; the API server rejects it (Pod/web/app)',
        '  hint: add a volume named "htlm" to spec.volumes, or fix the name (defined: html)',
        'bad.yaml:12:13: PL502 [warning] volume "html" (emptyDir) is not mounted by any container (Pod/web)',
        "  hint: mount it where it is needed, or remove it",
        "2 findings (1 error, 1 warning) in 2 files: 2 linted, 0 with parse errors, 0 skipped; "
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
    assert [line for line in result.output.splitlines() if ": PL" in line] == [
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
    by_code, by_name = invoke("rule", "PL302"), invoke("rule", "prestop-exceeds-grace")  # README
    assert by_code.exit_code == 0 and by_code.output == by_name.output
    assert by_code.output.startswith("PL302 prestop-exceeds-grace (error)\n")
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


# ----------------------------------------------------------------------------- -f and -o, kubectl's way

def findings_of(output: str) -> list[str]:
    return [line.split(": ")[0] + ": " + line.split(": ")[1].split(" ")[0]
            for line in output.splitlines() if ": PL" in line and not line.startswith(" ")]


def test_kubectl_style_f_file(work):
    """`kubectl podlint lint -f deploy.yaml` failed with "invalid choice" (issue 10)."""
    result = invoke("lint", "--select", "PL5", "-f", "bad.yaml")
    assert result.exit_code == 1, result.output
    assert findings_of(result.output) == ["bad.yaml:10:18: PL501", "bad.yaml:12:13: PL502"]


def test_kubectl_style_several_f_a_directory_and_stdin(work):
    (work / "k8s").mkdir()
    (work / "k8s" / "deploy.yaml").write_text(WARN_ONLY)
    result = invoke("lint", "--select", "PL5", "-f", "bad.yaml", "-f", "k8s", "-f", "-", input=BAD)
    assert result.exit_code == 1, result.output
    assert findings_of(result.output) == ["<stdin>:10:18: PL501", "<stdin>:12:13: PL502",
                                          "bad.yaml:10:18: PL501", "bad.yaml:12:13: PL502",
                                          "k8s/deploy.yaml:14:13: PL502"]
    assert "in 3 files" in result.output
    # and mixed with PATH arguments
    mixed = invoke("lint", "--select", "PL5", "good.yaml", "-f", "bad.yaml")
    assert findings_of(mixed.output) == ["bad.yaml:10:18: PL501", "bad.yaml:12:13: PL502"]
    assert "in 2 files" in mixed.output


def test_kubectl_style_o_format(work):
    result = invoke("lint", "--select", "PL5", "-f", "bad.yaml", "-o", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("bad.yaml", "PL501"),
                                                                   ("bad.yaml", "PL502")]
    assert not (work / "json").exists()
    sarif = invoke("lint", "--select", "PL5", "-f", "bad.yaml", "-o", "sarif")
    assert json.loads(sarif.output)["version"] == "2.1.0"


def test_documented_f_format_and_o_file_still_work(work):
    """README: `podlint lint -f sarif -o podlint.sarif k8s/` and `-f json`."""
    (work / "k8s").mkdir()
    (work / "k8s" / "deploy.yaml").write_text(BAD)
    result = invoke("lint", "--select", "PL5", "-f", "sarif", "-o", "podlint.sarif", "k8s/")
    assert (result.exit_code, result.output) == (1, "")
    log = json.loads((work / "podlint.sarif").read_text())
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["PL501", "PL502"]
    as_json = invoke("lint", "--select", "PL5", "-f", "json", "bad.yaml")
    assert len(json.loads(as_json.output)["findings"]) == 2
    long_forms = invoke("lint", "--select", "PL5", "--format", "json", "--output", "json", "bad.yaml")
    assert long_forms.exit_code == 1 and len(json.loads((work / "json").read_text())["findings"]) == 2


@pytest.mark.parametrize("args,message", [
    (["-f", "json", "bad.yaml"],
     '-f json is ambiguous: "json" is a format and also a file or directory here. '
     "Write --format json for the format, or -f ./json to read the file."),
    (["-f", "xml", "bad.yaml"],
     "-f xml: not a format (text, json, sarif, github, junit) and no file or directory of that name"),
    (["-o", "yaml", "bad.yaml"],
     "-o yaml: podlint has no such format (text, json, sarif, github, junit); write --output yaml "
     "for a report file of that name"),
    (["-o", "jsonpath={.items}", "bad.yaml"],
     "-o jsonpath={.items}: podlint has no such format (text, json, sarif, github, junit); write "
     "--output jsonpath={.items} for a report file of that name"),
    (["-f", "text", "-o", "sarif", "bad.yaml"], "two formats: -f text, -o sarif"),
    (["--format", "text", "-f", "junit", "bad.yaml"], "two formats: --format text, -f junit"),
    (["-o", "a.txt", "--output", "b.txt", "bad.yaml"], "two report files: -o a.txt and --output b.txt"),
])
def test_f_and_o_usage_errors_say_what_to_write(work, args, message):
    (work / "json").write_text(GOOD)       # a file literally named like a format
    result = CliRunner().invoke(cli, ["lint", "--select", "PL5", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"podlint: error: {message}\n"
    assert not (work / "yaml").exists() and not (work / "a.txt").exists()


def test_ambiguous_name_resolved_either_way(work):
    (work / "json").write_text(BAD)
    as_format = invoke("lint", "--select", "PL5", "--format", "json", "good.yaml")
    assert as_format.exit_code == 0 and json.loads(as_format.output)["findings"] == []
    as_file = invoke("lint", "--select", "PL5", "-f", "./json")
    assert findings_of(as_file.output) == ["json:10:18: PL501", "json:12:13: PL502"]
    same_twice = invoke("lint", "--select", "PL5", "--format", "json", "-o", "json", "good.yaml")
    assert same_twice.exit_code == 0 and json.loads(same_twice.output)["findings"] == []


def test_f_and_o_mean_the_same_in_explain_and_graph(work):
    explained = invoke("explain", "-f", "good.yaml", "-o", "json")
    assert explained.exit_code == 0, explained.output
    assert [w["name"] for w in json.loads(explained.output)["workloads"]] == ["web"]
    graphed = invoke("graph", "-f", "good.yaml", "-o", "dot")
    assert graphed.exit_code == 0 and graphed.output.startswith('digraph "Pod/web" {')
    assert invoke("explain", "-f", "html", "good.yaml").output.startswith("<!DOCTYPE html>")
    assert invoke("graph", "-f", "mermaid", "-f", "good.yaml").output.startswith("flowchart")
    to_file = invoke("graph", "-f", "json", "-o", "graph.json", "good.yaml")
    assert to_file.output == "" and json.loads((work / "graph.json").read_text())
    # each command's own formats: dot is a graph format, not an explain one
    wrong = CliRunner().invoke(cli, ["explain", "-f", "dot", "good.yaml"])
    assert wrong.exit_code == 2
    assert wrong.stderr == ("podlint: error: -f dot: not a format (text, json, mermaid, html) and no "
                            "file or directory of that name\n")


def test_the_cli_knows_the_formats_the_reporters_and_renderers_have():
    from podlint import cli as module
    from podlint.explain import FORMATS as explain_formats
    from podlint.graph_cli import RENDERERS
    from podlint.reporters import LINT_FORMATS

    assert module.LINT_FORMATS == LINT_FORMATS
    assert module.EXPLAIN_FORMATS == explain_formats
    assert set(module.GRAPH_FORMATS) == set(RENDERERS)


def test_kubectl_plugin_runs_with_f(work):
    """The documented command, as kubectl runs it: kubectl execs `kubectl-podlint`
    from PATH with the arguments after `podlint`."""
    import os
    import shutil
    import subprocess
    import sys

    plugin = shutil.which("kubectl-podlint", path=os.path.dirname(sys.executable))
    assert plugin, "the kubectl-podlint script is not installed beside this Python"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    (work / "deploy.yaml").write_text(BAD)
    run = subprocess.run([plugin, "lint", "--select", "PL5", "-f", "deploy.yaml"], cwd=work, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert findings_of(run.stdout) == ["deploy.yaml:10:18: PL501", "deploy.yaml:12:13: PL502"]
    as_json = subprocess.run([plugin, "lint", "--select", "PL5", "-f", "deploy.yaml", "-o", "json"],
                             cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert len(json.loads(as_json.stdout)["findings"]) == 2


# ----------------------------------------------------------------------------- rules and --all

def test_rules_lists_the_default_rules_and_names_the_opt_in_ones():
    from podlint.registry import all_rules

    specs = all_rules()
    opt_in = [s for s in specs if not s.default]
    assert opt_in, "the catalogue has opt-in rules (PL507)"
    listing = invoke("rules")
    assert listing.exit_code == 0
    rows = [line for line in listing.output.splitlines() if line.startswith("PL")]
    assert [row.split()[0] for row in rows] == [s.code for s in specs if s.default]
    assert "(opt-in)" not in listing.output
    assert listing.output.endswith(
        f"\n\n{len(opt_in)} opt-in rules not listed ("
        + ", ".join(f"{s.code} {s.name}" for s in opt_in)
        + "): `podlint rules --all` lists every rule; `--extend-select CODE` turns one on.\n")


def test_rules_all_adds_the_opt_in_rules_marked():
    """`podlint rules --all` was the same as `podlint rules` (issue 10)."""
    from podlint.registry import all_rules

    specs = all_rules()
    listing = invoke("rules", "--all")
    assert listing.exit_code == 0
    rows = listing.output.splitlines()
    assert [row.split()[0] for row in rows] == [s.code for s in specs]
    for row, spec in zip(rows, specs):
        assert row.split()[3] == ("on" if spec.default else "opt-in"), row
        assert row.count("opt-in") <= 1, row           # never "(opt-in).  (opt-in)"
    pl507 = next(row for row in rows if row.startswith("PL507 "))
    assert pl507.split() [:4] == ["PL507", "missing-reference", "info", "opt-in"]
    help_text = " ".join(invoke("rules", "--help").output.split())
    assert "--all List every rule, the opt-in ones too" in help_text


def test_rules_machine_formats_are_always_the_whole_catalogue():
    """JSON marks each rule's default (benchmarks/precision_sample.py reads the
    opt-in ones from it); Markdown is docs/rules.md."""
    from podlint.registry import all_rules

    specs = all_rules()
    for args in (("rules", "-f", "json"), ("rules", "--all", "-f", "json")):
        rows = json.loads(invoke(*args).output)
        assert [(r["code"], r["default"]) for r in rows] == [(s.code, s.default) for s in specs]


def test_rules_markdown_is_always_the_whole_catalogue():
    assert invoke("rules", "-f", "markdown").output == invoke("rules", "--all", "-f", "markdown").output
    assert "## PL507 missing-reference" in invoke("rules", "-f", "markdown").output


# ----------------------------------------------------------------------------- broken pipe

@pytest.mark.parametrize("command", [["lint", "--select", "ALL"], ["explain"], ["graph"]])
def test_a_closed_pipe_ends_podlint_quietly_with_141(tmp_path, command):
    """`podlint lint corpus | head -1` exited 1 (click's EPIPE handling): now 141,
    what a shell shows for git in the same place, and nothing on stderr. A real
    pipe whose reader has closed before podlint writes, so the first write fails."""
    import os
    import subprocess
    import sys

    for n in range(40):                     # enough output to be sure it is not buffered away
        (tmp_path / f"pod{n:02d}.yaml").write_text(BAD.replace("name: web", f"name: web{n}"))
    read, write = os.pipe()
    os.close(read)                          # the reader is gone, like `head` after one line
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    run = subprocess.run([sys.executable, "-m", "podlint", *command, "--jobs", "1", str(tmp_path)],
                         stdout=write, stderr=subprocess.PIPE, env=env, timeout=120)
    os.close(write)
    assert run.returncode == 141, run.stderr.decode()
    assert run.stderr == b""


def test_a_pipe_closed_by_head_exits_141_like_git(tmp_path):
    """The documented shape, through a shell: `podlint lint DIR | head -1`."""
    import os
    import shlex
    import subprocess
    import sys

    for n in range(200):
        (tmp_path / f"pod{n:03d}.yaml").write_text(BAD.replace("name: web", f"name: web{n}"))
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    script = (f"{shlex.quote(sys.executable)} -m podlint lint --select ALL --jobs 1 "
              f"{shlex.quote(str(tmp_path))} 2>err.txt | head -1; echo \"${{PIPESTATUS[0]}}\"")
    run = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    first, status = run.stdout.splitlines()
    assert ": PL" in first and status == "141"
    assert (tmp_path / "err.txt").read_text() == ""


# ----------------------------------------------------------------------------- README, as written

def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def readme_section(title: str) -> str:
    text = readme()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def usage_commands() -> list[str]:
    import re

    (block,) = re.findall(r"```sh\n(.*?)```", readme_section("Usage"), re.S)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A user's folder: the README's k8s/ and deploy.yaml, and podlint's examples/."""
    import shutil

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "deploy.yaml").write_text(BAD)
    (tmp_path / "deploy.yaml").write_text(BAD)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def test_readme_usage_block_is_what_the_tests_run():
    assert usage_commands() == [
        "podlint lint k8s/", "helm template . | podlint lint -",
        "podlint lint -f sarif -o podlint.sarif k8s/",
        "kubectl podlint lint -f deploy.yaml -o json",
        "podlint explain examples/loap.yaml", "podlint graph examples/web.yaml",
        "podlint rules", "podlint rule PL302"]


@pytest.mark.parametrize("command", usage_commands())
def test_readme_usage_commands_run_as_written(project, command):
    import shlex

    stdin = None
    if command.startswith("helm template . | "):        # what helm would print
        command, stdin = command.split(" | ", 1)[1], BAD
    argv = shlex.split(command)
    if argv[0] == "kubectl":                              # kubectl runs kubectl-podlint with the rest
        argv = argv[1:]
    assert argv[0] == "podlint"
    result = CliRunner().invoke(cli, argv[1:], input=stdin)
    assert result.exit_code in (0, 1), (command, result.output)
    assert "Usage:" not in result.output and "error:" not in result.output
    if "-o podlint.sarif" in command:
        assert json.loads((project / "podlint.sarif").read_text())["runs"][0]["results"]
    elif "-o json" in command:
        assert len(json.loads(result.output)["findings"]) >= 2
    else:
        assert result.output.strip()


def test_readme_finding_example_is_real_output(monkeypatch):
    """The block after "A finding points at the exact line and column"."""
    import re

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (block,) = re.findall(r"line after it, indented, says how to fix it.*?```\n(.*?)```",
                          readme_section("Usage"), re.S)
    shown = block.splitlines()
    assert shown[0].startswith("examples/mistakes.yaml:37:21: PL501 [error]")
    actual = invoke("lint", "examples/mistakes.yaml").output.splitlines()
    start = actual.index(shown[0])
    assert actual[start:start + len(shown)] == shown


def test_readme_explain_example_is_real_output(monkeypatch):
    """README: "a test checks it" for the loap timeline shown there."""
    import re

    monkeypatch.chdir(ROOT)
    (block,) = re.findall(r"```\n\$ podlint explain examples/loap.yaml\n(.*?)```", readme(), re.S)
    result = CliRunner().invoke(cli, ["explain", "examples/loap.yaml"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert result.output == block


def test_readme_pl507_hook_args_run(project):
    """The pre-commit hook item for PL507 (`args: [--extend-select, PL507, .]`,
    pass_filenames: false): podlint runs with exactly those arguments."""
    import re

    from ruamel.yaml import YAML

    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme_section("pre-commit"), re.S)
                if "PL507" in b]
    (hook,) = YAML(typ="safe").load(block)
    assert hook["pass_filenames"] is False
    result = CliRunner().invoke(cli, ["lint", *hook["args"]])
    assert result.exit_code == 1, result.output
    assert "in 5 files" in result.output            # k8s/, deploy.yaml and examples/: the whole tree
    assert ": PL507 [info]" in result.output


def test_readme_documents_kubectl_f_and_o():
    text = " ".join(readme_section("Usage").split())
    for promise in ("`-f FILE` (a file, a directory or `-`; repeatable)",
                    "`--format NAME` and `--output FILE` always mean one thing",
                    "stops quietly with **141**"):
        assert promise in text
