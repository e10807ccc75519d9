"""The user docs stay true: docs/rules.md is what the generator prints today,
and every example of docs/configuration.md is valid and does what it says.

docs/configuration.md conventions (fence info strings):
- ```yaml .podlint.yaml  / ```toml pyproject.toml: validated against the config schema;
- ```yaml manifest: linted with the last `.podlint.yaml` block above it in the same
  `##` section (which must `select` rules); findings must be exactly the `# [PLxxx]` markers;
- ```yaml .pre-commit-config.yaml: podlint hooks exist and their args are accepted by the CLI;
- ```console: every `$ podlint ...` line runs without a usage error.
"""
from __future__ import annotations

import re
import shlex
import tomllib

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from podlint.cli import cli
from podlint.config import settings_from_mapping
from podlint.docs import render_catalogue
from podlint.registry import all_rules
from podlint.run import lint_text
from tests.helpers import ROOT, expected_markers

RULES_MD = ROOT / "docs" / "rules.md"
CONFIGURATION_MD = ROOT / "docs" / "configuration.md"
FENCE = re.compile(r"^```([a-z]+)(?: ([^\n]*))?\n(.*?)^```", re.S | re.M)
REGENERATE = "podlint rules -f markdown > docs/rules.md"


def test_rules_md_is_current():
    current = render_catalogue(all_rules(), "markdown")
    committed = RULES_MD.read_text(encoding="utf-8") if RULES_MD.exists() else ""
    if committed != current:
        old, new = committed.splitlines(), current.splitlines()
        line = next((n for n, (a, b) in enumerate(zip(old, new), start=1) if a != b),
                    min(len(old), len(new)) + 1)
        pytest.fail(f"docs/rules.md is stale from line {line} on: regenerate it with "
                    f"`{REGENERATE}`", pytrace=False)


def test_rules_md_lists_every_rule():
    text = RULES_MD.read_text(encoding="utf-8")
    for spec in all_rules():
        assert f"## {spec.code} {spec.name}" in text


def _blocks() -> list[tuple[str, str, str, str]]:
    """(section heading, language, info, body) of every fenced block, in order."""
    text = CONFIGURATION_MD.read_text(encoding="utf-8")
    out = []
    for match in FENCE.finditer(text):
        before = text[: match.start()]
        headings = re.findall(r"^## (.+)$", before, re.M)
        out.append((headings[-1] if headings else "", match.group(1), match.group(2) or "",
                    match.group(3)))
    return out


BLOCKS = _blocks()


def _load_yaml(text: str):
    return YAML(typ="safe").load(text)


CONFIGS = [(section, body) for section, lang, info, body in BLOCKS
           if lang == "yaml" and info == ".podlint.yaml"]


@pytest.mark.parametrize("section,body", CONFIGS, ids=[f"{i}" for i in range(len(CONFIGS))])
def test_config_examples_are_valid(section, body):
    settings_from_mapping(_load_yaml(body) or {}, all_rules(), ".podlint.yaml")


def test_pyproject_examples_are_valid():
    tomls = [body for _, lang, info, body in BLOCKS if lang == "toml"]
    assert tomls
    for body in tomls:
        table = tomllib.loads(body)["tool"]["podlint"]
        settings_from_mapping(table, all_rules(), "pyproject.toml")


def _manifest_cases():
    config, config_section = None, None
    for number, (section, lang, info, body) in enumerate(BLOCKS):
        if lang == "yaml" and info == ".podlint.yaml":
            config, config_section = _load_yaml(body) or {}, section
        elif lang == "yaml" and info == "manifest":
            assert config is not None and config_section == section, \
                f"manifest block {number} has no .podlint.yaml block above it in '{section}'"
            yield pytest.param(config, body, id=f"{section}-{number}")


@pytest.mark.parametrize("config,manifest", list(_manifest_cases()))
def test_manifest_examples_produce_their_markers(config, manifest):
    assert "select" in config, "an executed example must select its rules"
    settings = settings_from_mapping(config, all_rules())
    found = sorted((f.location.line, f.code) for f in lint_text(manifest, settings))
    assert found == expected_markers(manifest)


def test_documented_hooks_exist_and_their_args_are_accepted(tmp_path, monkeypatch):
    hook_ids = {hook["id"] for hook in _load_yaml((ROOT / ".pre-commit-hooks.yaml").read_text())}
    blocks = [body for _, lang, info, body in BLOCKS if info == ".pre-commit-config.yaml"]
    assert blocks
    monkeypatch.chdir(_project(tmp_path))
    for body in blocks:
        for repo in _load_yaml(body)["repos"]:
            for hook in repo["hooks"]:
                assert hook["id"] in hook_ids
                args = [str(a) for a in hook.get("args", [])]
                if hook.get("pass_filenames", True):
                    args.append("k8s/deploy.yaml")
                result = CliRunner().invoke(cli, ["lint", "--no-config", *args])
                assert result.exit_code in (0, 1), result.output


COMMANDS = [line[2:].strip() for _, lang, _, body in BLOCKS if lang == "console"
            for line in body.splitlines() if line.startswith("$ podlint ")]


@pytest.mark.parametrize("command", COMMANDS)
def test_documented_commands_run(command, tmp_path, monkeypatch):
    monkeypatch.chdir(_project(tmp_path))
    argv = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code in (0, 1), result.output
    assert "Usage:" not in result.output


def _project(tmp_path):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "deploy.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n"
        "  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n"
        "    spec:\n      containers:\n        - {name: api, image: \"example/api:1.0\"}\n")
    return tmp_path
