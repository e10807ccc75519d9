"""Which rules a run turns on. Opt-in rules (PL006, PL507) are turned on only by
their exact code or name: a prefix (`PL5`), a group or `ALL` never enables them
(README: "Opt-in rules ... are enabled with --extend-select"; configuration.md:
"Opt-in rules ... run only when selected explicitly")."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.registry import all_rules, exact_rule, resolve_selection, resolve_selector

# A Pod that reads a ConfigMap nothing defines (PL507, opt-in) and has a spare volume (PL502).
POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      envFrom: [{configMapRef: {name: settings}}]
  volumes:
    - name: spare
      emptyDir: {}
"""


def codes(tmp_path, monkeypatch, *args: str, config: str | None = None) -> list[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "pod.yaml").write_text(POD)
    if config is not None:
        (tmp_path / ".podlint.yaml").write_text(config)
    result = CliRunner().invoke(cli, ["lint", *args, "pod.yaml"])
    assert result.exit_code in (0, 1), result.output
    return sorted({line.split(": ")[1].split(" ")[0] for line in result.output.splitlines()
                   if line.startswith("pod.yaml:")})


@pytest.mark.parametrize("args", [["--select", "PL5"], ["--select", "PL50"], ["--select", "ALL"],
                                  ["--select", "PL"], ["--extend-select", "PL5"], ["--select", "PL0,PL5"]])
def test_a_prefix_or_all_never_turns_on_an_opt_in_rule(args, tmp_path, monkeypatch):
    assert "PL507" not in codes(tmp_path, monkeypatch, "--no-config", *args)
    assert "PL502" in codes(tmp_path, monkeypatch, "--no-config", *args)


@pytest.mark.parametrize("args", [["--select", "PL507"], ["--select", "pl507"], ["--select", "missing-reference"],
                                  ["--extend-select", "PL507"], ["--select", "PL5", "--extend-select", "PL507"],
                                  ["--select", "PL5,missing-reference"]])
def test_the_exact_code_or_name_turns_it_on(args, tmp_path, monkeypatch):
    assert "PL507" in codes(tmp_path, monkeypatch, "--no-config", *args)


def test_ignore_by_prefix_still_covers_opt_in_rules(tmp_path, monkeypatch):
    assert "PL507" not in codes(tmp_path, monkeypatch, "--no-config", "--extend-select", "PL507",
                                "--ignore", "PL5")


@pytest.mark.parametrize("config,on", [
    ("select: [PL5]\n", False),
    ("select: [PL1, PL2, PL3, PL5]\nignore: [PL401]\n", False),     # the README's example
    ("extend-select: [PL5]\n", False),
    ("select: [ALL]\n", False),
    ("select: [PL5, PL507]\n", True),
    ("extend-select: [missing-reference]\n", True),
])
def test_config_select_follows_the_same_rule(config, on, tmp_path, monkeypatch):
    assert ("PL507" in codes(tmp_path, monkeypatch, config=config)) is on


def test_resolve_selection_against_resolve_selector():
    opt_in = {spec.code for spec in all_rules() if not spec.default}
    assert {"PL006", "PL507"} <= opt_in
    assert not opt_in & {spec.code for spec in resolve_selection("ALL")}
    assert not opt_in & {spec.code for spec in resolve_selection("PL")}
    assert opt_in <= {spec.code for spec in resolve_selector("ALL")}      # ignore ALL covers them
    assert [spec.code for spec in resolve_selection("unused-suppression")] == ["PL006"]
    assert exact_rule("pl006").code == "PL006" and exact_rule("PL00") is None
