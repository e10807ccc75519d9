"""`# Source:` mapping of `helm template` streams, and `lint --helm CHART`.

No helm binary could be installed here (no apt package, no PyPI wheel ships one,
no Go toolchain), so tests/fixtures/helm/rendered.yaml was written by hand in the
exact format `helm template` prints (`---` then `# Source: CHART/templates/F`,
subcharts under `CHART/charts/SUB/templates/`), plus a document without a Source
comment. `--helm` is tested with a stand-in `helm` script that checks its argv."""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.helm_source import scan
from tests.helpers import ROOT

HELM = ROOT / "tests" / "fixtures" / "helm"


@pytest.fixture
def work(tmp_path, monkeypatch):
    shutil.copytree(HELM, tmp_path / "helm")
    monkeypatch.chdir(tmp_path / "helm")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path / "helm"


def _findings(output: str):
    return [(f["code"], f["path"], f["line"], f["message"]) for f in json.loads(output)["findings"]]


def test_scan_knows_which_document_has_which_source():
    text = (HELM / "rendered.yaml").read_text()
    helm = scan(text)
    assert helm.source_of(3) == (2, "shop/templates/service.yaml")
    assert helm.source_of(40) == (24, "shop/charts/redis/templates/master.yaml")
    assert helm.source_of(97) is None           # the Pod after the last Source comment
    assert scan("apiVersion: v1\n") is None


def test_findings_land_in_the_templates_with_the_rendered_line(work):
    stdin = (work / "rendered.yaml").read_text()
    result = CliRunner().invoke(cli, ["lint", "-", "-f", "json"], input=stdin)
    found = _findings(result.output)
    by = {(code, path): (line, message) for code, path, line, message in found}
    line, message = by[("PL204", "shop/templates/deployment.yaml")]
    assert line == 25                           # `livenessProbe:` in the template
    assert message.endswith("(rendered <stdin>:85: `timeoutSeconds: 15`)")
    line, message = by[("PL302", "shop/charts/redis/templates/master.yaml")]
    assert line == 23                           # `exec:` under preStop in the subchart
    assert "(rendered <stdin>:47: `exec:`)" in message
    # the document without a Source comment keeps the stream's position
    assert by[("PL202", "<stdin>")][0] == 97


def test_sarif_and_github_annotations_point_into_the_chart(work):
    stdin = (work / "rendered.yaml").read_text()
    sarif = json.loads(CliRunner().invoke(cli, ["lint", "-", "-f", "sarif"], input=stdin).output)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}
    assert {"shop/templates/deployment.yaml", "shop/charts/redis/templates/master.yaml"} <= uris
    github = CliRunner().invoke(cli, ["lint", "-", "-f", "github"], input=stdin).output
    assert "file=shop/templates/deployment.yaml,line=25" in github


def test_template_not_on_disk_uses_line_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stdin = (HELM / "rendered.yaml").read_text()
    found = _findings(CliRunner().invoke(cli, ["lint", "-", "-f", "json"], input=stdin).output)
    assert ("PL204", "shop/templates/deployment.yaml", 1) in {(c, p, l) for c, p, l, _ in found}


def test_fingerprints_do_not_depend_on_the_mapping(work):
    stdin = (work / "rendered.yaml").read_text()
    mapped = json.loads(CliRunner().invoke(cli, ["lint", "-", "-f", "json"], input=stdin).output)
    plain = stdin.replace("# Source: ", "# was: ")
    unmapped = json.loads(CliRunner().invoke(cli, ["lint", "-", "-f", "json"], input=plain).output)
    assert sorted(f["fingerprint"] for f in mapped["findings"]) == \
        sorted(f["fingerprint"] for f in unmapped["findings"])


def _fake_helm(folder, monkeypatch):
    """A `helm` that records its argv and prints the hand-written stream."""
    script = folder / "bin" / "helm"
    script.parent.mkdir()
    script.write_text(f"""#!{sys.executable}
import sys
open({str(folder / 'argv.txt')!r}, 'w').write('\\n'.join(sys.argv[1:]))
sys.stdout.write(open({str(HELM / 'rendered.yaml')!r}).read())
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")


def test_helm_flag_renders_and_maps_under_the_chart_folder(tmp_path, monkeypatch):
    shutil.copytree(HELM / "shop", tmp_path / "charts" / "shop")
    (tmp_path / "prod.yaml").write_text("replicaCount: 2\n")
    monkeypatch.chdir(tmp_path)
    _fake_helm(tmp_path, monkeypatch)
    result = CliRunner().invoke(cli, ["lint", "--helm", "charts/shop", "--values", "prod.yaml",
                                      "-f", "json"])
    assert result.exit_code == 1, result.output
    assert (tmp_path / "argv.txt").read_text().split("\n") == [
        "template", "--values", "prod.yaml", "--", "charts/shop"]
    found = {(c, p, l) for c, p, l, _ in _findings(result.output)}
    assert ("PL204", os.path.join("charts", "shop", "templates", "deployment.yaml"), 25) in found
    assert ("PL302", os.path.join("charts", "shop", "charts", "redis", "templates", "master.yaml"),
            23) in found
    messages = [m for _, _, _, m in _findings(result.output)]
    assert any("(rendered helm template charts/shop:85: `timeoutSeconds: 15`)" in m for m in messages)


def test_helm_flag_without_helm_or_chart_is_a_clear_error(tmp_path, monkeypatch):
    shutil.copytree(HELM / "shop", tmp_path / "shop")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    result = CliRunner().invoke(cli, ["lint", "--helm", "shop"])
    assert result.exit_code == 2
    assert "--helm needs the helm binary on PATH" in result.output
    assert "helm template CHART | podlint lint -" in result.output
    result = CliRunner().invoke(cli, ["lint", "--helm", "."])
    assert result.exit_code == 2 and "no Chart.yaml in that folder" in result.output
    result = CliRunner().invoke(cli, ["lint", "--values", "x.yaml"])
    assert result.exit_code == 2 and "--values needs --helm" in result.output


def test_a_rendered_file_whose_chart_is_elsewhere_keeps_its_lines(tmp_path, monkeypatch):
    shutil.copy(HELM / "rendered.yaml", tmp_path / "rendered.yaml")
    monkeypatch.chdir(tmp_path)
    found = _findings(CliRunner().invoke(cli, ["lint", "rendered.yaml", "-f", "json"]).output)
    by = {(code, path): (line, message) for code, path, line, message in found}
    line, message = by[("PL204", "rendered.yaml")]
    assert line == 85
    assert message.endswith("(from template shop/templates/deployment.yaml)")
    # the same file, run where the chart is: the finding moves into the template
    monkeypatch.chdir(HELM)
    found = _findings(CliRunner().invoke(cli, ["lint", str(tmp_path / "rendered.yaml"), "-f", "json"]).output)
    assert ("PL204", "shop/templates/deployment.yaml", 25) in {(c, p, l) for c, p, l, _ in found}


def test_a_source_comment_that_is_not_a_helm_path_is_ignored():
    # checkov's tests__kubernetes__checks__example_AllowedCapabilities__cassandra-FAILED.yaml
    # credits its origin with "# Source: https://kubernetes.io/docs/..." before a Service.
    assert scan("# Source: https://kubernetes.io/docs/tutorials/cassandra/\napiVersion: v1\n") is None
    assert scan("# Source: my notes\n") is None
    assert scan("---\n# Source: shop/crds/crd.yaml\n").sources == ((2, "shop/crds/crd.yaml"),)
