"""Suppressions: the `podlint/ignore` annotation (object or pod template) and the
`# podlint: ignore=...` comment (same line or alone on the line above). No blanket
form; an unknown code is PL005; `--report-unused-ignores` reports PL006."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.config import Settings
from podlint.run import lint_text

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations: {}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: {}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          volumeMounts:
            - {name: data, mountPath: /data}
      volumes:
        - name: data
          hostPath: {path: /srv/data}
        - name: spare
          emptyDir: {}
"""
# Unsuppressed: PL505 at 20:11 (hostPath:), PL502 at 21:17 (the name of "spare").
OTHER_POD = """\
---
apiVersion: v1
kind: Pod
metadata: {name: other}
spec:
  containers: [{name: app, image: "nginx:1.27"}]
  volumes:
    - name: unused
      emptyDir: {}
"""


def found(text: str, report_unused: bool = False, select=("PL5", "PL005")):
    settings = Settings(select=select, report_unused_ignores=report_unused)
    return [(f.location.line, f.location.column, f.code) for f in lint_text(text, settings)]


def test_baseline():
    assert found(DEPLOYMENT) == [(20, 11, "PL505"), (21, 17, "PL502")]


def test_annotation_on_the_object_silences_those_rules_for_that_object_only():
    text = DEPLOYMENT.replace("  annotations: {}\nspec:",
                              '  annotations: {podlint/ignore: "PL505, unused-volume"}\nspec:')
    assert found(text + OTHER_POD) == [(30, 13, "PL502")]       # the other Pod keeps its finding


def test_annotation_on_the_pod_template():
    text = DEPLOYMENT.replace("      annotations: {}\n", '      annotations: {podlint/ignore: "PL5"}\n')
    assert found(text) == []


def test_annotation_with_an_unknown_rule_is_pl005_at_the_annotation():
    text = DEPLOYMENT.replace("  annotations: {}\nspec:",
                              '  annotations:\n    podlint/ignore: "PL505,PL9999"\nspec:')
    findings = lint_text(text, Settings(select=("PL5", "PL005")))
    assert [(f.location.line, f.location.column, f.code) for f in findings] == [
        (6, 21, "PL005"), (22, 17, "PL502")]
    assert findings[0].message == 'podlint/ignore names unknown rule "PL9999"'


def test_comment_on_the_flagged_line():
    text = DEPLOYMENT.replace("        - name: spare\n", "        - name: spare  # podlint: ignore=PL502\n")
    assert found(text) == [(20, 11, "PL505")]


def test_comment_alone_on_the_line_above():
    text = DEPLOYMENT.replace("          hostPath: {path: /srv/data}\n",
                              "          # podlint: ignore=hostpath-volume   (a node agent)\n"
                              "          hostPath: {path: /srv/data}\n")
    assert found(text) == [(22, 17, "PL502")]


def test_comment_above_skips_further_comment_lines():
    text = DEPLOYMENT.replace("        - name: spare\n",
                              "        # podlint: ignore=PL502\n        # kept for the next release\n"
                              "        - name: spare\n")
    assert found(text) == [(20, 11, "PL505")]


def test_a_comment_silences_only_the_codes_it_names_on_its_line():
    text = DEPLOYMENT.replace("        - name: spare\n", "        - name: spare  # podlint: ignore=PL505\n")
    assert found(text) == [(20, 11, "PL505"), (21, 17, "PL502")]
    text = DEPLOYMENT.replace("      volumes:\n", "      volumes:  # podlint: ignore=PL502\n")
    assert found(text) == [(20, 11, "PL505"), (21, 17, "PL502")]


def test_unknown_code_in_a_comment_is_pl005_at_the_comment():
    text = DEPLOYMENT.replace("        - name: spare\n",
                              "        - name: spare  # podlint: ignore=PL502,no-such-rule\n")
    findings = lint_text(text, Settings(select=("PL5", "PL005")))
    assert [(f.location.line, f.location.column, f.code) for f in findings] == [
        (20, 11, "PL505"), (21, 24, "PL005")]                     # PL502 itself is still silenced
    assert findings[1].message == 'suppression names unknown rule "no-such-rule"'


def test_blanket_comment_is_pl005_and_silences_nothing():
    for comment in ("# podlint: ignore", "# podlint: ignore=", "# podlint:ignore-all"):
        text = DEPLOYMENT.replace("        - name: spare\n", f"        - name: spare  {comment}\n")
        findings = lint_text(text, Settings(select=("PL5", "PL005")))
        assert [(f.location.line, f.location.column, f.code) for f in findings] == [
            (20, 11, "PL505"), (21, 17, "PL502"), (21, 24, "PL005")], comment
        assert "names no rule: podlint has no blanket ignore" in findings[2].message


def test_unused_suppressions_are_reported_only_when_asked():
    text = DEPLOYMENT.replace("      volumes:\n", "      # podlint: ignore=PL501\n      volumes:\n")
    assert found(text) == [(21, 11, "PL505"), (22, 17, "PL502")]
    assert found(text, report_unused=True) == [(18, 7, "PL006"), (21, 11, "PL505"), (22, 17, "PL502")]
    (finding,) = [f for f in lint_text(text, Settings(select=("PL5", "PL006"), report_unused_ignores=True))
                  if f.code == "PL006"]
    assert finding.message == '"# podlint: ignore=PL501" silences nothing on line 19'
    used = DEPLOYMENT.replace("        - name: spare\n", "        - name: spare  # podlint: ignore=PL502\n")
    assert found(used, report_unused=True) == [(20, 11, "PL505")]


def test_parse_errors_cannot_be_suppressed():
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b  # podlint: ignore=PL001\n"
    findings = lint_text(text, Settings(select=("PL5", "PL005")))
    assert [(f.location.line, f.code) for f in findings] == [(5, "PL001"), (5, "PL005")]
    assert findings[1].message == ('suppression "PL001" cannot be silenced: podlint always reports '
                                   "unreadable input and crashed rules")


def invoke(tmp_path, monkeypatch, files: dict[str, str], *args: str):
    """`podlint lint ARGS` in a folder holding `files` (no config above it)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(cli, ["lint", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if ": PL" in line]
    return result.exit_code, lines


# ----------------------------------------------------------------------------- no blanket ignore
# README: "There is no blanket ignore: a suppression must name codes or names".

SCHEMA_TYPO = DEPLOYMENT.replace("          image: nginx:1.27\n",
                                 "          image: nginx:1.27\n          livenesProbe: {}\n")


@pytest.mark.parametrize("value", ["all", "ALL", "All", "PL", "PL505,all"])
def test_a_blanket_annotation_is_pl005_and_silences_nothing(value, tmp_path, monkeypatch):
    text = SCHEMA_TYPO.replace("  annotations: {}\nspec:", f'  annotations:\n    podlint/ignore: "{value}"\nspec:')
    code, lines = invoke(tmp_path, monkeypatch, {"d.yaml": text}, "--no-config", "d.yaml")
    assert code == 1
    codes = [line.split(": ")[1].split(" ")[0] for line in lines]
    assert "PL003" in codes and "PL502" in codes                  # nothing blanket-silenced
    assert ("PL505" in codes) == ("PL505" not in value)           # a named rule still is
    blanket = value.split(",")[-1]
    assert f'd.yaml:6:21: PL005 [warning] podlint/ignore "{blanket}" is a blanket ignore, and podlint ' \
           "has none: name the rules, e.g. PL301 or missing-prestop (Deployment/web)" in lines


@pytest.mark.parametrize("comment", ["# podlint: ignore=ALL", "# podlint: ignore=all",
                                     "# podlint: ignore=PL", "# podlint: ignore = ALL"])
def test_a_blanket_comment_is_pl005_and_silences_nothing(comment, tmp_path, monkeypatch):
    text = SCHEMA_TYPO.replace("          livenesProbe: {}\n", f"          livenesProbe: {{}}  {comment}\n")
    code, lines = invoke(tmp_path, monkeypatch, {"d.yaml": text}, "--no-config", "d.yaml")
    assert code == 1
    assert [line.split(": ")[0] + " " + line.split(": ")[1].split(" ")[0] for line in lines
            if "PL003" in line or "PL005" in line] == ["d.yaml:16:11 PL003", "d.yaml:16:29 PL005"]
    assert any("is a blanket ignore, and podlint has none" in line for line in lines)


def test_a_schema_finding_can_be_silenced_by_its_code():
    text = SCHEMA_TYPO.replace("          livenesProbe: {}\n", "          livenesProbe: {}  # podlint: ignore=PL003\n")
    assert found(text, select=("PL003", "PL005")) == []


# ----------------------------------------------------------------------------- codes separated by spaces
# docs/configuration.md: "Codes are separated by commas or spaces".

@pytest.mark.parametrize("codes", ["PL505,PL502", "PL505, PL502", "PL505 PL502", "PL505  hostpath-volume PL502",
                                   "hostpath-volume unused-volume", "PL505 PL502 -- kept for the agent",
                                   "PL505,PL502 (kept for the agent)"])
def test_comment_codes_separated_by_commas_or_spaces_all_count(codes):
    text = DEPLOYMENT.replace("      volumes:\n", f"      # podlint: ignore={codes}\n      volumes:\n")
    text = text.replace("          hostPath: {path: /srv/data}\n", "          hostPath: {path: /srv/data}\n"
                        "          # podlint: ignore=PL505\n")
    plain = text.replace(f"      # podlint: ignore={codes}\n", "")
    assert found(plain) == [(20, 11, "PL505"), (22, 17, "PL502")]
    # the directive covers line 20 (- name: data): only that line's findings go
    moved = plain.replace("        - name: spare\n", f"        # podlint: ignore={codes}\n        - name: spare\n")
    assert found(moved) == [(20, 11, "PL505")]


def test_the_reason_after_the_codes_is_not_read_as_rules():
    text = DEPLOYMENT.replace("        - name: spare\n",
                              "        - name: spare  # podlint: ignore=PL502 kept for the next release\n")
    assert found(text) == [(20, 11, "PL505")]


def test_a_code_shaped_typo_after_a_space_is_pl005_not_a_reason(tmp_path, monkeypatch):
    text = DEPLOYMENT.replace("        - name: spare\n", "        - name: spare  # podlint: ignore=PL505 PL5O2\n")
    code, lines = invoke(tmp_path, monkeypatch, {"d.yaml": text}, "--no-config", "--select", "PL5,PL005", "d.yaml")
    assert lines == [
        'd.yaml:20:11: PL505 [warning] volume "data" mounts the node\'s /srv/data: the pod\'s data '
        "depends on the node it lands on (Deployment/web)",
        'd.yaml:21:17: PL502 [warning] volume "spare" (emptyDir) is not mounted by any container '
        "(Deployment/web)",
        'd.yaml:21:24: PL005 [warning] suppression names unknown rule "PL5O2"']


def test_issue_example_pl401_and_pl202_on_one_line(tmp_path, monkeypatch):
    pod = ("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n"
           "    - name: app  # podlint: ignore=PL401 PL202\n      image: nginx:1.27\n")
    code, lines = invoke(tmp_path, monkeypatch, {"p.yaml": pod}, "--no-config", "--select", "PL202,PL401",
                         "--fail-on", "info", "p.yaml")
    assert (code, lines) == (0, [])
    code, lines = invoke(tmp_path, monkeypatch, {"p.yaml": pod.replace("  # podlint: ignore=PL401 PL202", "")},
                         "--no-config", "--select", "PL202,PL401", "--fail-on", "info", "p.yaml")
    assert code == 1 and [line.split(": ")[1][:5] for line in lines] == ["PL202", "PL401"]


# ----------------------------------------------------------------------------- unused suppressions
# README: "`--report-unused-ignores` reports suppressions that silence nothing (PL006)";
# "Opt-in rules (PL507 missing-reference, PL006 unused-suppression) are enabled with --extend-select".

UNUSED_COMMENT = DEPLOYMENT.replace("      volumes:\n", "      # podlint: ignore=PL501\n      volumes:\n")
UNUSED_LINE = 'd.yaml:18:7: PL006 [info] "# podlint: ignore=PL501" silences nothing on line 19'


@pytest.mark.parametrize("args", [["--report-unused-ignores"], ["--extend-select", "PL006"],
                                  ["--extend-select", "unused-suppression"],
                                  ["--select", "PL5,PL006"], ["--select", "PL5", "--report-unused-ignores"]])
def test_unused_comment_is_reported_by_the_flag_or_by_selecting_pl006(args, tmp_path, monkeypatch):
    code, lines = invoke(tmp_path, monkeypatch, {"d.yaml": UNUSED_COMMENT}, "--no-config", *args, "d.yaml")
    assert UNUSED_LINE in lines


@pytest.mark.parametrize("args", [[], ["--select", "PL5"], ["--select", "ALL"], ["--extend-select", "PL0"],
                                  ["--report-unused-ignores", "--ignore", "PL006"]])
def test_unused_comment_is_quiet_unless_asked(args, tmp_path, monkeypatch):
    code, lines = invoke(tmp_path, monkeypatch, {"d.yaml": UNUSED_COMMENT}, "--no-config", *args, "d.yaml")
    assert not any("PL006" in line for line in lines)


def test_report_unused_ignores_config_key_alone(tmp_path, monkeypatch):
    files = {"d.yaml": UNUSED_COMMENT, ".podlint.yaml": "report-unused-ignores: true\n"}
    code, lines = invoke(tmp_path, monkeypatch, files, "d.yaml")
    assert UNUSED_LINE in lines
    files[".podlint.yaml"] = "select: [PL5]\nreport-unused-ignores: true\n"
    assert UNUSED_LINE in invoke(tmp_path, monkeypatch, files, "d.yaml")[1]


def test_unused_annotation_is_reported_at_the_annotation(tmp_path, monkeypatch):
    text = DEPLOYMENT.replace("  annotations: {}\nspec:", '  annotations:\n    podlint/ignore: "PL503"\nspec:')
    text = text.replace("      annotations: {}\n", '      annotations:\n        podlint/ignore: "PL505,PL504"\n')
    code, lines = invoke(tmp_path, monkeypatch, {"d.yaml": text}, "--no-config", "--report-unused-ignores",
                         "d.yaml")
    assert [line for line in lines if "PL006" in line] == [
        'd.yaml:6:21: PL006 [info] podlint/ignore "PL503" silences nothing in Deployment/web (Deployment/web)',
        'd.yaml:13:25: PL006 [info] podlint/ignore "PL505,PL504": PL504 silences nothing in Deployment/web '
        "(Deployment/web)"]
    assert not any("PL505" in line.split(": ")[1][:5] for line in lines)      # PL505 itself is silenced


def test_an_annotation_that_silences_is_not_reported():
    text = DEPLOYMENT.replace("      annotations: {}\n", '      annotations: {podlint/ignore: "PL505,PL502"}\n')
    assert found(text, report_unused=True, select=("PL5", "PL005", "PL006")) == []


def test_a_suppression_for_a_rule_not_run_is_not_unused():
    """`--select PL5` does not run PL401 or PL202: their suppressions are idle, not stale."""
    text = DEPLOYMENT.replace("  annotations: {}\nspec:", '  annotations: {podlint/ignore: "PL202"}\nspec:')
    text = text.replace("        - name: spare\n", "        - name: spare  # podlint: ignore=PL502,PL401\n")
    assert found(text, report_unused=True) == [(20, 11, "PL505")]
    assert found(text, report_unused=True, select=("PL5", "PL401", "PL006")) == [
        (14, 11, "PL401"), (20, 11, "PL505"), (21, 24, "PL006")]
    message = [f.message for f in lint_text(text, Settings(select=("PL5", "PL401", "PL006")))
               if f.code == "PL006"]
    assert message == ['"# podlint: ignore=PL502,PL401": PL401 silences nothing on line 21']
    assert found(text, report_unused=True, select=("PL5", "PL202", "PL006")) == [(20, 11, "PL505")]


def test_per_path_ignored_pl006_stays_quiet(tmp_path, monkeypatch):
    files = {"d.yaml": UNUSED_COMMENT,
             ".podlint.yaml": "report-unused-ignores: true\nper-path-ignores: {'d.yaml': [PL006]}\n"}
    assert not any("PL006" in line for line in invoke(tmp_path, monkeypatch, files, "d.yaml")[1])


def test_severity_overrides_apply_to_pl005_and_pl006(tmp_path, monkeypatch):
    text = UNUSED_COMMENT.replace("  annotations: {}\nspec:", '  annotations: {podlint/ignore: "PL9999"}\nspec:')
    files = {"d.yaml": text, ".podlint.yaml": "report-unused-ignores: true\n"
                                              "rules: {PL005: {severity: error}, PL006: {severity: warning}}\n"}
    code, lines = invoke(tmp_path, monkeypatch, files, "--select", "PL5,PL005", "d.yaml")
    assert [line.split(": ")[1][:15] for line in lines if "PL00" in line] == ["PL005 [error] p",
                                                                             "PL006 [warning]"]


def test_a_suppression_naming_thousands_of_rules_is_bounded():
    """A hostile line must not become one PL005 per name: 64 are read, then one says so."""
    names = ",".join(f"PL{n:03d}X" for n in range(1000)) * 5
    text = DEPLOYMENT.replace("        - name: spare\n", f"        - name: spare  # podlint: ignore={names}\n")
    text = text.replace("  annotations: {}\nspec:", f'  annotations: {{podlint/ignore: "{names}"}}\nspec:')
    findings = [f for f in lint_text(text, Settings(select=("PL5", "PL005"))) if f.code == "PL005"]
    assert len(findings) == 2 * 65
    assert [f.message for f in findings if "more than" in f.message] == [
        "podlint/ignore names more than 64 rules: the rest are not read",
        "suppression names more than 64 rules: the rest are not read"]


def test_repeated_names_count_once():
    text = DEPLOYMENT.replace("        - name: spare\n",
                              "        - name: spare  # podlint: ignore=" + ",".join(["PL502"] * 200) + "\n")
    assert found(text) == [(20, 11, "PL505")]


def test_annotation_rules_separated_by_spaces_count_too():
    text = DEPLOYMENT.replace("      annotations: {}\n", '      annotations: {podlint/ignore: "PL505 unused-volume"}\n')
    assert found(text) == []
