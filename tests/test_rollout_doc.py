"""docs/rollout.md's worked examples are what `podlint explain` prints: each
```yaml block followed by a ```text block is saved as example.yaml, explained,
and its ROLLOUT section compared exactly."""
import re

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from tests.helpers import ROOT

DOC = ROOT / "docs" / "rollout.md"
PAIR = re.compile(r"```yaml\n(.*?)```\n\n```text\n(.*?)```", re.S)


def examples():
    return PAIR.findall(DOC.read_text(encoding="utf-8"))


def test_the_doc_has_examples():
    assert len(examples()) >= 2


@pytest.mark.parametrize("manifest, expected", examples())
def test_rollout_section_matches_explain(manifest, expected, tmp_path, monkeypatch):
    (tmp_path / "example.yaml").write_text(manifest, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["explain", "example.yaml"])
    lines = result.stdout.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("  ROLLOUT"))
    end = lines.index("", start)
    assert "\n".join(line[2:] for line in lines[start:end]) + "\n" == expected
