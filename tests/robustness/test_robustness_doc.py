"""docs/robustness.md: every row of its input tables names at least one test,
and every test it names exists (so the page cannot promise what CI does not
check)."""
from __future__ import annotations

import ast
import re

from tests.robustness.support import ROOT

DOC = ROOT / "docs" / "robustness.md"
REFERENCE = re.compile(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`")


def _rows() -> list[str]:
    rows, in_table = [], False
    for line in DOC.read_text().splitlines():
        if line.startswith("| input | what podlint does | test |"):
            in_table = True
            continue
        if in_table and line.startswith("|---"):
            continue
        if in_table and line.startswith("|"):
            rows.append(line)
        else:
            in_table = False
    return rows


def _tests(module: str) -> set[str]:
    tree = ast.parse((ROOT / "tests" / "robustness" / module).read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_row_names_a_test_that_exists():
    rows = _rows()
    assert len(rows) >= 50
    for row in rows:
        test_cell = row.rstrip(" |").rsplit(" | ", 1)[-1]
        references = REFERENCE.findall(test_cell)
        assert references, row
        for module, name in references:
            assert name in _tests(module), f"{module}::{name} named in docs/robustness.md does not exist"
