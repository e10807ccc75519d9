"""Every rule that declares a fix shows it on its page: a `## Fix` section with a
Before and an After block. The suite runs `podlint fix` (that rule only) on
Before and expects After exactly, and After must lint clean for that rule."""
from __future__ import annotations

import re

import pytest
from ruamel.yaml import YAML

from podlint.config import Settings, settings_from_mapping
from podlint.fix import FileFix, build_plan, fix_text
from podlint.registry import all_rules
from podlint.run import lint_text

FENCE = re.compile(r"```(yaml|json|podlint-config)\n(.*?)```", re.S)


def fix_section(doc: str) -> tuple[str, str, dict, str] | None:
    """(before, after, config, language) of a rule page's `## Fix` section."""
    start = doc.find("## Fix\n")
    if start < 0:
        return None
    end = doc.find("\n## ", start + 5)
    section = doc[start: end if end > 0 else len(doc)]
    config, blocks = {}, []
    for match in FENCE.finditer(section):
        if match.group(1) == "podlint-config":
            config = YAML(typ="safe").load(match.group(2)) or {}
        else:
            blocks.append((match.group(1), match.group(2)))
    assert len(blocks) == 2, "a Fix section has exactly a Before and an After block"
    assert section.index("Before:") < section.index("After:")
    return blocks[0][1], blocks[1][1], config, blocks[0][0]


FIXABLE = [spec for spec in all_rules() if spec.fix is not None]


def run_fix(code: str, text: str, config: dict, language: str = "yaml") -> tuple[str, FileFix]:
    settings = settings_from_mapping(config, all_rules()) if config else Settings()
    out = FileFix(f"example.{language}")
    new = fix_text(text, out.path, settings, build_plan(settings, (code,)), out)
    return (new if new is not None else text), out


def test_some_rules_have_fixes():
    assert {"PL004", "PL007", "PL204", "PL208", "PL210", "PL302", "PL303", "PL306", "PL401"} <= \
        {spec.code for spec in FIXABLE}


@pytest.mark.parametrize("spec", FIXABLE, ids=lambda s: s.code)
def test_fix_section_before_becomes_after(spec):
    section = fix_section(spec.doc)
    assert section is not None, f"{spec.code} has fix() but no '## Fix' section"
    before, after, config, language = section
    assert [f.code for f in lint_text(before, settings_from_mapping(config, all_rules())
                                      if config else None, f"example.{language}")
            if f.code == spec.code], "Before must show the finding"
    fixed, outcome = run_fix(spec.code, before, config, language)
    assert outcome.refused == [] and outcome.error is None
    assert fixed == after
    again, _ = run_fix(spec.code, fixed, config, language)
    assert again == fixed, "a second run changes nothing"


@pytest.mark.parametrize("spec", [s for s in all_rules() if s.fix is None], ids=lambda s: s.code)
def test_no_fix_section_without_a_fix(spec):
    assert fix_section(spec.doc) is None


def test_the_catalogue_marks_the_fixable_rules():
    import json

    from podlint.docs import render_catalogue

    rows = json.loads(render_catalogue(all_rules(), "json"))
    assert {row["code"] for row in rows if row["fix"]} == {spec.code for spec in FIXABLE}
    text = render_catalogue(all_rules(), "text").splitlines()
    assert [line.split()[0] for line in text if len(line.split()) > 3 and line.split()[3] == "fix"] == \
        [spec.code for spec in FIXABLE]
    markdown = render_catalogue(all_rules(), "markdown")
    assert "| [PL401](#pl401-termination-message-unset) | termination-message-unset | info | on | fix |" \
        in markdown
