"""Suppressions: the `podlint/ignore` annotation (object or pod template) and the
`# podlint: ignore=...` comment (same line or alone on the line above). No blanket
form; an unknown code is PL005; `--report-unused-ignores` reports PL006."""
from __future__ import annotations

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


def found(text: str, report_unused: bool = False, select=("PL5", "PL005", "PL006")):
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
    assert [c for _, _, c in found(text)] == ["PL001"]


def test_report_unused_ignores_flag_on_the_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "d.yaml").write_text(
        DEPLOYMENT.replace("      volumes:\n", "      # podlint: ignore=PL501\n      volumes:\n"))
    quiet = CliRunner().invoke(cli, ["lint", "--select", "PL5,PL006", "d.yaml"])
    loud = CliRunner().invoke(cli, ["lint", "--select", "PL5,PL006", "--report-unused-ignores", "d.yaml"])
    assert "PL006" not in quiet.output
    assert "d.yaml:18:7: PL006 [info]" in loud.output
