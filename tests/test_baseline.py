"""Baselines: --write-baseline records findings, --baseline (and the config key)
hides them by fingerprint, --report-fixed lists entries that no longer match."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from tests.test_fingerprint import DEPLOY, SERVICE


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "d.yaml").write_text(DEPLOY)
    (tmp_path / "s.yaml").write_text(SERVICE)       # the pods serve: PL201 and PL301 apply
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_write_then_baseline_hides_known_findings(work):
    written = run("lint", "d.yaml", "s.yaml", "--write-baseline", ".podlint-baseline.json")
    assert written.exit_code == 0
    doc = json.loads((work / ".podlint-baseline.json").read_text())
    assert doc["podlint_baseline"] == 1
    assert sorted(e["code"] for e in doc["findings"]) == ["PL201", "PL204", "PL301", "PL401"]
    assert all(e["fingerprint"] and e["field_path"] for e in doc["findings"])
    before = run("lint", "d.yaml", "s.yaml")
    assert before.exit_code == 1
    clean = run("lint", "d.yaml", "s.yaml", "--baseline", ".podlint-baseline.json")
    assert clean.exit_code == 0, clean.output
    assert "PL204" not in clean.output
    assert "baseline .podlint-baseline.json: 4 known findings hidden, 0 entries no longer found" in clean.output


def test_moved_lines_stay_known_and_new_findings_are_reported(work):
    run("lint", "d.yaml", "s.yaml", "--write-baseline", "b.json")
    # Moved down by a new document, and a new problem added (preStop longer than the grace).
    changed = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n" + DEPLOY + \
        "          lifecycle: {preStop: {exec: {command: [sleep, '40']}}}\n"
    (work / "d.yaml").write_text(changed)
    result = run("lint", "d.yaml", "s.yaml", "--baseline", "b.json", "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert [f["code"] for f in doc["findings"]] == ["PL302"]
    assert doc["baseline"]["known"] == 3        # PL301 went away: the preStop now exists
    assert [e["code"] for e in doc["baseline"]["fixed"]] == ["PL301"]


def test_report_fixed_lists_stale_entries(work):
    run("lint", "d.yaml", "s.yaml", "--write-baseline", "b.json")
    (work / "d.yaml").write_text(DEPLOY.replace("timeoutSeconds: 5, ", ""))
    result = run("lint", "d.yaml", "s.yaml", "--baseline", "b.json", "--report-fixed")
    assert result.exit_code == 0
    assert "1 entry no longer found" in result.output
    assert "  fixed: d.yaml:13: PL204 " in result.output


def test_config_key_relative_to_the_config_file(work):
    run("lint", "d.yaml", "s.yaml", "--write-baseline", "known.json")
    sub = work / "sub"
    sub.mkdir()
    (work / ".podlint.yaml").write_text("baseline: known.json\n")
    (sub / "d.yaml").write_text(DEPLOY)
    (sub / "s.yaml").write_text(SERVICE)
    import os
    os.chdir(sub)
    result = run("lint", "d.yaml", "s.yaml")
    assert result.exit_code == 0, result.output


def test_counts_matter_and_parse_errors_are_never_hidden(work):
    run("lint", "d.yaml", "s.yaml", "--write-baseline", "b.json")
    # the same object twice: the baseline knows each finding once
    (work / "e.yaml").write_text(DEPLOY)
    result = run("lint", "d.yaml", "s.yaml", "e.yaml", "--baseline", "b.json", "-f", "json")
    doc = json.loads(result.output)
    assert sorted(f["code"] for f in doc["findings"]) == ["PL201", "PL204", "PL301", "PL401"]
    (work / "e.yaml").write_text("kind: [\n")
    assert run("lint", "e.yaml", "--write-baseline", "broken.json").exit_code == 2
    assert json.loads((work / "broken.json").read_text())["findings"] == []
    assert run("lint", "e.yaml", "--baseline", "broken.json").exit_code == 2


@pytest.mark.parametrize("content, message", [
    (None, "does not exist"),
    ("{", "is not JSON"),
    ('{"findings": []}', "is not a podlint baseline"),
    ('{"podlint_baseline": 1, "findings": [{}]}', "findings[0] has no fingerprint"),
])
def test_bad_baseline_files_are_usage_errors(work, content, message):
    if content is not None:
        (work / "b.json").write_text(content)
    result = run("lint", "d.yaml", "s.yaml", "--baseline", "b.json")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_docs_baseline_example_is_real(tmp_path, monkeypatch):
    import re
    import shutil

    from tests.helpers import ROOT

    shutil.copy(ROOT / "tests" / "fixtures" / "diff" / "old" / "frontend.yaml", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert run("lint", "frontend.yaml", "--write-baseline", ".podlint-baseline.json").exit_code == 0
    shown = re.search(r"```json\n(.*?)```", (ROOT / "docs" / "baseline.md").read_text(), re.S).group(1)
    assert json.loads(shown) == json.loads((tmp_path / ".podlint-baseline.json").read_text())
