"""Rule metadata: codes, names, docs, options, fixtures; and the registry's errors."""
from __future__ import annotations

import re
import types

import pytest

from podlint.registry import RegistryError, all_rules, resolve_selector, spec_from_module
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
ENGINE_MADE = {"PL000", "PL001", "PL002", "PL005", "PL006"}   # covered by their own tests


def test_codes_and_names_are_unique_and_well_formed():
    specs = all_rules()
    assert len({s.code for s in specs}) == len(specs)
    assert len({s.name for s in specs}) == len(specs)
    for spec in specs:
        assert re.match(r"^PL\d{3}$", spec.code)
        assert spec.module.startswith("podlint.rules.pl" + spec.code[2:])


@pytest.mark.parametrize("spec", all_rules(), ids=lambda s: s.code)
def test_every_rule_has_fixtures(spec):
    if spec.code in ENGINE_MADE:
        return
    folder = FIXTURES / spec.code
    assert folder.is_dir(), f"{spec.code} has no fixtures in {folder}"
    names = [p.name for p in folder.glob("*.yaml")]
    assert any(n.startswith("fail_") for n in names), f"{spec.code}: no fail_*.yaml"
    assert any(n.startswith("pass_") for n in names), f"{spec.code}: no pass_*.yaml"


def _module(**attrs):
    module = types.ModuleType("podlint.rules.pl999_fake")
    doc = ("Fake.\n\n## What it does\nx\n\n## Why is this bad?\nx\n\n## Example\nx\n\n"
           "## References\n- x\n")
    module.__doc__ = attrs.pop("doc", doc)
    module.CODE, module.NAME, module.SEVERITY, module.OPTIONS = "PL999", "fake-rule", "warning", {}
    module.check = lambda ctx: iter(())
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


@pytest.mark.parametrize("attrs,message", [
    ({"CODE": "X1"}, "does not match"),
    ({"NAME": "Fake_Rule"}, "kebab-case"),
    ({"SEVERITY": "fatal"}, "SEVERITY"),
    ({"OPTIONS": {"x": {"type": "integer"}}}, "default"),
    ({"doc": "No sections."}, "lacks"),
    ({"check": None}, "check"),
])
def test_malformed_rules_are_clear_errors(attrs, message):
    with pytest.raises(RegistryError, match=message):
        spec_from_module(_module(**attrs))


def test_options_section_must_match_options():
    module = _module(OPTIONS={"limit": {"type": "integer", "default": 3}})
    with pytest.raises(RegistryError, match="Options"):
        spec_from_module(module)
    module.__doc__ += "\n## Options\n- `limit` (integer, default 3): a limit.\n"
    assert spec_from_module(module).option_defaults() == {"limit": 3}


def test_selectors_resolve_codes_prefixes_and_names():
    assert [s.code for s in resolve_selector("PL501")] == ["PL501"]
    assert [s.code for s in resolve_selector("undefined-volume")] == ["PL501"]
    assert {"PL501", "PL502"} <= {s.code for s in resolve_selector("PL5")}
    assert resolve_selector("nope") == []
