"""The README's `podlint diff`, Helm and GitHub Action sections say what podlint does today."""
from __future__ import annotations

import re
import subprocess
import sys

from click.testing import CliRunner
from ruamel.yaml import YAML

from podlint.cli import cli
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text()


def test_readme_diff_example_is_the_real_markdown(monkeypatch):
    monkeypatch.chdir(ROOT / "tests" / "fixtures" / "diff")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(cli, ["diff", "old", "new", "-f", "markdown"])
    assert result.exit_code == 0
    shown = README.split("<!-- podlint-diff-example:start -->\n", 1)[1].split(
        "<!-- podlint-diff-example:end -->", 1)[0]
    # the README demotes the report's headings to sit under its own section
    expected = result.output.replace("\n## podlint diff", "\n#### podlint diff").replace("\n### ", "\n#### ")
    if expected.startswith("## podlint diff"):
        expected = "#### podlint diff" + expected[len("## podlint diff"):]
    assert shown == expected, "regenerate the README example: podlint diff old new -f markdown"


def test_readme_helm_line_is_the_real_output(monkeypatch):
    monkeypatch.chdir(ROOT / "tests" / "fixtures" / "helm")
    stdin = (ROOT / "tests" / "fixtures" / "helm" / "rendered.yaml").read_text()
    output = CliRunner().invoke(cli, ["lint", "-"], input=stdin).output
    line = next(l for l in README.splitlines() if l.startswith("shop/templates/deployment.yaml:25:11"))
    assert line in output.splitlines()


def test_readme_workflow_uses_only_real_inputs_and_outputs():
    block = re.search(r"```yaml github-workflow\n(.*?)```", README, re.S).group(1)
    workflow = YAML(typ="safe").load(block)
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    steps = workflow["jobs"]["podlint"]["steps"]
    uses = next(s for s in steps if s.get("id") == "podlint")
    assert uses["uses"].split("@")[0].endswith("/podlint")
    assert set(uses["with"]) <= set(action["inputs"])
    assert uses["with"]["command"] == "diff"
    for name in re.findall(r"steps\.podlint\.outputs\.([a-z-]+)", block):
        assert name in action["outputs"]
    assert workflow["permissions"]["pull-requests"] == "write"
