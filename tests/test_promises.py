"""README.md and docs/configuration.md, statement by statement: each promise about
selecting, ignoring, configuring and suppressing rules runs as written
(design.md 7, "Promises are tests"). The blocks are read from the documents
themselves, so editing an example without keeping it true fails here.

Promises tested elsewhere: no blanket ignore, codes separated by spaces and
unused suppressions (tests/test_suppression.py), opt-in rules off under a prefix
(tests/test_selection.py), exclude and named files (tests/test_config.py),
assumptions that change nothing (tests/test_assume_checks.py), every
configuration.md example and command (tests/test_docs.py)."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from podlint.cli import cli
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start: end if end > 0 else len(README)]


def says(document: str, phrase: str) -> bool:
    """Whether the document states `phrase` (line breaks and indentation aside)."""
    return " ".join(phrase.split()) in " ".join(document.split())


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)


# A Deployment that, unsuppressed, has PL505 (hostPath), PL401 (no termination
# message) and PL507 (a ConfigMap nothing defines; opt-in).
HEAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: agent
{annotations}spec:
  selector: {{matchLabels: {{app: agent}}}}
  template:
    metadata: {{labels: {{app: agent}}}}
    spec:
      containers:
        - name: agent
          image: fluent/fluent-bit:3.0
          envFrom: [{{configMapRef: {{name: agent-settings}}}}]
          volumeMounts: [{{name: logs, mountPath: /var/log}}]
"""
VOLUMES = """\
      volumes:
        - name: logs
          hostPath: {path: /var/log}
"""


def lint(tmp_path, monkeypatch, manifest: str, *args: str, config: str | None = None):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "k8s").mkdir(exist_ok=True)
    (tmp_path / "k8s" / "agent.yaml").write_text(manifest)
    if config is not None:
        (tmp_path / ".podlint.yaml").write_text(config)
    result = CliRunner().invoke(cli, ["lint", *args, "k8s/agent.yaml"])
    assert result.exit_code in (0, 1, 2), result.output
    return sorted({line.split(": ")[1].split(" ")[0] for line in result.stdout.splitlines()
                   if line.startswith("k8s/agent.yaml:")}), result


def manifest(annotations: str = "", volumes: str = VOLUMES) -> str:
    return HEAD.format(annotations=annotations) + volumes


# ----------------------------------------------------------------------------- README: suppressing

def test_readme_annotation_example_silences_its_rules(tmp_path, monkeypatch):
    block = yaml_blocks(section("Suppressing a finding"))[0]
    annotations = block.split("metadata:\n", 1)[1]           # "  annotations:\n    podlint/ignore: ..."
    before, _ = lint(tmp_path, monkeypatch, manifest(), "--no-config", "--fail-on", "info")
    after, result = lint(tmp_path, monkeypatch, manifest(annotations), "--no-config", "--fail-on", "info")
    assert {"PL401", "PL505"} <= set(before)
    assert not {"PL401", "PL505"} & set(after) and "PL005" not in after


def test_readme_comment_example_silences_its_finding(tmp_path, monkeypatch):
    block = yaml_blocks(section("Suppressing a finding"))[1]
    assert "# podlint: ignore=" in block
    plain = "\n".join(line for line in block.splitlines() if "podlint:" not in line) + "\n"
    before, _ = lint(tmp_path, monkeypatch, manifest(volumes=plain), "--no-config", "--select", "PL5,PL005")
    after, _ = lint(tmp_path, monkeypatch, manifest(volumes=block), "--no-config", "--select", "PL5,PL005",
                    "--report-unused-ignores")
    assert before == ["PL505"] and after == []


def test_readme_no_blanket_ignore(tmp_path, monkeypatch):
    assert "There is no blanket ignore" in section("Suppressing a finding")
    blanket = manifest('  annotations: {podlint/ignore: "ALL"}\n')
    found, _ = lint(tmp_path, monkeypatch, blanket, "--no-config", "--fail-on", "info")
    assert {"PL005", "PL401", "PL505"} <= set(found)


def test_readme_report_unused_ignores(tmp_path, monkeypatch):
    stale = manifest('  annotations: {podlint/ignore: "PL503"}\n')
    assert "PL006" in lint(tmp_path, monkeypatch, stale, "--no-config", "--report-unused-ignores")[0]
    assert "PL006" not in lint(tmp_path, monkeypatch, stale, "--no-config")[0]


# ----------------------------------------------------------------------------- README: selection

def test_readme_selection_flags(tmp_path, monkeypatch):
    usage = section("Usage")
    for flag in ("`--select PL1,PL2`", "`--ignore termination-message-unset`", "`--extend-select PL507`"):
        assert flag in usage
    every = lint(tmp_path, monkeypatch, manifest(), "--no-config", "--fail-on", "info")[0]
    assert {"PL401", "PL505"} <= set(every) and "PL507" not in every
    only = lint(tmp_path, monkeypatch, manifest(), "--no-config", "--select", "PL1,PL2")[0]
    assert only and all(code[:3] in ("PL1", "PL2") for code in only)
    ignored = lint(tmp_path, monkeypatch, manifest(), "--no-config", "--ignore", "termination-message-unset")[0]
    assert ignored == sorted(set(every) - {"PL401"})
    extended = lint(tmp_path, monkeypatch, manifest(), "--no-config", "--extend-select", "PL507")[0]
    assert extended == sorted(set(every) | {"PL507"})


def test_readme_config_example_runs_as_written(tmp_path, monkeypatch):
    config = yaml_blocks(section("Configuration"))[0]
    data = YAML(typ="safe").load(config)
    assert data["select"] == ["PL1", "PL2", "PL3", "PL5"] and data["ignore"] == ["PL401"]
    found, result = lint(tmp_path, monkeypatch, manifest(), config=config)
    assert "PL505" in found                     # selected through PL5
    assert "PL507" not in found                 # opt-in: a prefix does not turn it on
    assert "PL401" not in found                 # ignored
    assert not [code for code in found if code[:3] in ("PL0", "PL4")]
    assert result.stderr == ""                  # assume: {app.startup: 45s} names no container here,
    #                                             but a named file is a partial run: no warning


@pytest.mark.parametrize("config,message", [
    ("selct: [PL5]\n", "unknown key 'selct'"),
    ("select: PL5\n", "select: 'PL5' is not of type 'array'"),
    ("ignore: [missing-prestopp]\n", "ignore: unknown rule 'missing-prestopp'"),
])
def test_readme_a_config_mistake_is_exit_2_naming_the_key(config, message, tmp_path, monkeypatch):
    assert says(section("Configuration"), "stops podlint with exit code 2 and names the key")
    _, result = lint(tmp_path, monkeypatch, manifest(), config=config)
    assert result.exit_code == 2 and message in result.stderr


# ----------------------------------------------------------------------------- configuration.md

CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
BROKEN = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n"


@pytest.mark.parametrize("args", [["--ignore", "PL001"], ["--select", "PL5"], ["--ignore", "PL0"]])
def test_pl000_and_pl001_cannot_be_turned_off(args, tmp_path, monkeypatch):
    assert says(CONFIGURATION, "`PL000` (internal error) and `PL001` (parse error) cannot be turned off")
    found, result = lint(tmp_path, monkeypatch, BROKEN, "--no-config", *args)
    assert (found, result.exit_code) == (["PL001"], 2)


def test_all_selects_every_default_rule(tmp_path, monkeypatch):
    assert says(CONFIGURATION, "`ALL` selects every rule that is on by default")
    every = lint(tmp_path, monkeypatch, manifest(), "--no-config", "--fail-on", "info")[0]
    assert lint(tmp_path, monkeypatch, manifest(), "--no-config", "--select", "ALL", "--fail-on", "info")[0] \
        == every


@pytest.mark.parametrize("how", [["--no-schema"], "schema: false\n"])
def test_no_schema_skips_pl003(how, tmp_path, monkeypatch):
    typo = manifest().replace("          image: fluent/fluent-bit:3.0\n",
                              "          image: fluent/fluent-bit:3.0\n          livenesProbe: {}\n")
    assert "PL003" in lint(tmp_path, monkeypatch, typo, "--no-config")[0]
    args, config = (how, None) if isinstance(how, list) else ([], how)
    assert "PL003" not in lint(tmp_path, monkeypatch, typo, *args, config=config)[0]


def test_per_path_globs_match_with_leading_folders_and_cross_slashes(tmp_path, monkeypatch):
    assert says(CONFIGURATION, "so `legacy/**` matches `k8s/legacy/app.yaml`")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    for folder in ("k8s/legacy", "k8s/jobs/nightly", "k8s/web"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "app.yaml").write_text(manifest())
    (tmp_path / ".podlint.yaml").write_text(
        "select: [PL505]\nper-path-ignores:\n  'legacy/**': [PL505]\n  'k8s/jobs/*': [hostpath-volume]\n")
    result = CliRunner().invoke(cli, ["lint", "k8s"])
    assert [line.split(":")[0] for line in result.stdout.splitlines() if ": PL505" in line] == \
        ["k8s/web/app.yaml"]


def test_podlint_yml_is_read_too(tmp_path, monkeypatch):
    assert says(CONFIGURATION, "`.podlint.yaml` (or `.podlint.yml`)")
    found, _ = lint(tmp_path, monkeypatch, manifest(), config=None)
    (tmp_path / ".podlint.yml").write_text("select: [PL505]\n")
    assert lint(tmp_path, monkeypatch, manifest())[0] == ["PL505"] != found


def test_report_unused_ignores_also_by_selecting_pl006(tmp_path, monkeypatch):
    assert says(CONFIGURATION, "or selecting `PL006` by code or name")
    stale = manifest('  annotations: {podlint/ignore: "PL503"}\n')
    for args in (["--extend-select", "PL006"], ["--extend-select", "unused-suppression"]):
        assert "PL006" in lint(tmp_path, monkeypatch, stale, "--no-config", *args)[0]


def test_command_line_assumption_wins_over_annotation_and_config(tmp_path, monkeypatch):
    assert says(CONFIGURATION, "The command line wins over the pod's `podlint/assume` annotation, "
                               "which wins over the configuration file.")
    monkeypatch.chdir(tmp_path)
    annotated = manifest().replace("    metadata: {labels: {app: agent}}\n",
                                   "    metadata: {labels: {app: agent}, annotations: "
                                   "{podlint/assume: 'agent.startup=20s,image-pull=4s'}}\n")
    (tmp_path / "agent.yaml").write_text(annotated)
    (tmp_path / ".podlint.yaml").write_text("assume: {agent.startup: 90s, image-pull: 7s, agent.shutdown: 3s}\n")
    result = CliRunner().invoke(cli, ["explain", "-f", "json", "--assume", "image-pull=2s", "agent.yaml"])
    assert result.exit_code == 0, result.output
    import json
    assumptions = json.loads(result.stdout)["workloads"][0]["assumptions"]
    assert assumptions == {"agent.shutdown": {"seconds": 3, "source": "config"},
                           "agent.startup": {"seconds": 20, "source": "annotation"},
                           "image-pull": {"seconds": 2, "source": "--assume"}}
    assert result.stderr == ""


@pytest.mark.parametrize("version,severity", [("1.24", "warning"), ("1.25", "error"), ("1.33", "error")])
def test_removed_api_is_a_warning_before_removal_and_an_error_after(version, severity, tmp_path, monkeypatch):
    assert says(CONFIGURATION, "On 1.24 that is a warning (deprecated, removed in 1.25); on 1.25 and later "
                               "an error.")
    cronjob = next(body for lang, info, body in re.findall(r"^```(\w+) ?([^\n]*)\n(.*?)^```", CONFIGURATION,
                                                            re.S | re.M)
                   if info == "manifest" and "batch/v1beta1" in body)
    _, result = lint(tmp_path, monkeypatch, cronjob, "--no-config", "--select", "PL004",
                     "--kubernetes-version", version)
    assert [line.split(": ")[1][:len("PL004 [") + len(severity) + 1] for line in result.stdout.splitlines()
            if line.startswith("k8s/")] == [f"PL004 [{severity}]"]
