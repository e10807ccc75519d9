"""Fixture manifests per rule: tests/fixtures/rules/PLxxx/{fail_*,pass_*}.yaml.

`fail_*` files must produce exactly their `# [PLxxx]` markers (line and code),
`pass_*` files nothing for that rule. A `podlint.yaml` in the folder configures
the rule (options, kubernetes-version, assume) for every file there.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.helpers import ROOT, expected_markers, found_markers

FIXTURES = ROOT / "tests" / "fixtures" / "rules"


def _cases():
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        config_file = folder / "podlint.yaml"
        config = YAML(typ="safe").load(config_file.read_text()) if config_file.exists() else {}
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "podlint.yaml":
                continue
            yield pytest.param(folder.name, path, config or {}, id=f"{folder.name}/{path.name}")


@pytest.mark.parametrize("code,path,config", list(_cases()))
def test_fixture(code: str, path: Path, config: dict):
    text = path.read_text(encoding="utf-8")
    assert path.name.startswith(("fail_", "pass_")), "fixtures are fail_*.yaml or pass_*.yaml"
    expected = expected_markers(text) if path.name.startswith("fail_") else []
    if path.name.startswith("fail_"):
        assert expected, f"{path.name} has no # [{code}] marker"
    assert found_markers(code, text, config) == expected
