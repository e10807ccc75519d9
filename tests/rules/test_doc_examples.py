"""Every rule's documented Example must produce exactly its marked findings, and
its "Use instead" block none (pylint's bad/good examples, ruff's mdtest)."""
from __future__ import annotations

import re

import pytest
from ruamel.yaml import YAML

from podlint.registry import all_rules
from tests.helpers import expected_markers, found_markers

FENCE = re.compile(r"```(yaml|podlint-config)\n(.*?)```", re.S)


def examples(doc: str) -> list[tuple[str, str, dict]]:
    """(kind, yaml, config) for each yaml block: kind 'bad' before 'Use instead', else 'good'."""
    start = doc.index("## Example")
    end = doc.find("\n## ", start + 5)
    section = doc[start: end if end > 0 else len(doc)]
    split = section.find("Use instead")
    out, config = [], {}
    for match in FENCE.finditer(section):
        if match.group(1) == "podlint-config":
            config = YAML(typ="safe").load(match.group(2)) or {}
            continue
        kind = "bad" if split < 0 or match.start() < split else "good"
        out.append((kind, match.group(2), config))
        config = {}
    return out


CASES = [(spec.code, kind, number, text, config)
         for spec in all_rules()
         for number, (kind, text, config) in enumerate(examples(spec.doc))]


@pytest.mark.parametrize("code,kind,number,text,config", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_doc_example(code, kind, number, text, config):
    expected = expected_markers(text) if kind == "bad" else []
    assert found_markers(code, text, config) == expected


@pytest.mark.parametrize("spec", all_rules(), ids=lambda s: s.code)
def test_every_rule_has_a_bad_and_a_good_example(spec):
    kinds = [kind for kind, _, _ in examples(spec.doc)]
    assert "bad" in kinds and "good" in kinds
