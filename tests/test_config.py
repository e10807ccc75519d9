"""Configuration: the nearest `.podlint.yaml` (or `[tool.podlint]`) upwards, validated
with jsonschema; a mistake is exit 2 naming the key; the CLI overrides the file."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.config import ConfigError, find_config, load_settings
from podlint.registry import all_rules

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - {name: html, mountPath: /usr/share/nginx/html}
  volumes:
    - name: html
      emptyDir: {}
    - name: spare
      emptyDir: {}
"""
DAEMONSET = """\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: fluent/fluent-bit:3.0
          volumeMounts: [{name: logs, mountPath: /var/log}]
      volumes:
        - name: logs
          hostPath: {path: /var/log}
"""


def run(args: list[str], cwd: Path, monkeypatch) -> tuple[int, list[str], str]:
    """Exit code, the finding lines (path:line:col: CODE [severity]) and all output."""
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    findings = [" ".join(line.split()[:3]) for line in result.output.splitlines()
                if line.split(":")[0].endswith((".yaml", ".json")) and " PL" in line]
    return result.exit_code, findings, result.output


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "apps" / "web").mkdir(parents=True)
    (tmp_path / "apps" / "web" / "pod.yaml").write_text(POD)
    (tmp_path / "apps" / "legacy").mkdir()
    (tmp_path / "apps" / "legacy" / "pod.yaml").write_text(POD)
    (tmp_path / "agent.yaml").write_text(DAEMONSET)
    return tmp_path


# ----------------------------------------------------------------------------- discovery

def test_no_config_means_defaults(tree, monkeypatch):
    code, findings, _ = run(["lint", "--select", "PL5", "apps/web"], tree, monkeypatch)
    assert (code, findings) == (1, ["apps/web/pod.yaml:14:13: PL502 [warning]"])


def test_podlint_yaml_is_found_upwards_and_the_nearest_wins(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("select: [PL502]\nrules: {PL502: {severity: error}}\n")
    (tree / "apps" / ".podlint.yaml").write_text("select: [PL5]\nignore: [unused-volume]\n")
    deep = tree / "apps" / "web"
    assert find_config(str(deep)) == str(tree / "apps" / ".podlint.yaml")
    assert find_config(str(tree)) == str(tree / ".podlint.yaml")
    code, findings, _ = run(["lint", "pod.yaml"], deep, monkeypatch)
    assert (code, findings) == (0, [])                           # apps/.podlint.yaml ignores PL502
    code, findings, _ = run(["lint", "apps/web/pod.yaml"], tree, monkeypatch)
    assert (code, findings) == (1, ["apps/web/pod.yaml:14:13: PL502 [error]"])   # only the nearest


def test_tool_podlint_in_pyproject(tree, monkeypatch):
    (tree / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.podlint]\n'
                                         'select = ["PL5"]\n\n[tool.podlint.rules.PL502]\n'
                                         'severity = "info"\n')
    code, findings, _ = run(["lint", "pod.yaml"], tree / "apps" / "web", monkeypatch)
    assert (code, findings) == (0, ["pod.yaml:14:13: PL502 [info]"])    # info is below fail-on


def test_a_pyproject_without_the_section_is_passed_over(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("select: [PL5]\nignore: [PL502]\n")
    (tree / "apps" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(str(tree / "apps" / "web")) == str(tree / ".podlint.yaml")


def test_podlint_yaml_beats_pyproject_in_the_same_folder(tree):
    (tree / ".podlint.yaml").write_text("select: [PL5]\n")
    (tree / "pyproject.toml").write_text('[tool.podlint]\nselect = ["PL1"]\n')
    assert find_config(str(tree)) == str(tree / ".podlint.yaml")


def test_explicit_config_and_no_config(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("select: [PL5]\nignore: [PL502]\n")
    (tree / "strict.yaml").write_text("select: [PL502]\n")
    assert run(["lint", "apps/web"], tree, monkeypatch)[:2] == (0, [])
    code, findings, _ = run(["lint", "--config", "strict.yaml", "apps/web"], tree, monkeypatch)
    assert findings == ["apps/web/pod.yaml:14:13: PL502 [warning]"]
    code, findings, _ = run(["lint", "--no-config", "--select", "PL502", "apps/web"], tree, monkeypatch)
    assert findings == ["apps/web/pod.yaml:14:13: PL502 [warning]"]


# ----------------------------------------------------------------------------- mistakes

@pytest.mark.parametrize("config,says", [
    ("selct: [PL5]\n", "unknown key 'selct'"),
    ("rules:\n  PL505: {allow-in-daemonset: false}\n", "unknown key 'rules.PL505.allow-in-daemonset'"),
    ("rules:\n  PL999: {severity: error}\n", "unknown key 'rules.PL999'"),
    ("select: PL5\n", "select: 'PL5' is not of type 'array'"),
    ("fail-on: fatal\n", "fail-on: 'fatal' is not one of ['error', 'warning', 'info']"),
    ("rules:\n  PL505: {allow-in-daemonsets: maybe}\n",
     "rules.PL505.allow-in-daemonsets: 'maybe' is not of type 'boolean'"),
    ("max-file-size: -1\n", "max-file-size: -1 is less than the minimum of 1"),
    ("kubernetes-version: 1.30\n", "must be a quoted string"),
    ("kubernetes-version: '2.0'\n", "is not a Kubernetes version"),
    ("select: [PL999]\n", "select: unknown rule 'PL999'"),
    ("ignore: [missing-prestopp]\n", "ignore: unknown rule 'missing-prestopp'"),
    ("per-path-ignores: {'legacy/**': [PL9]}\n", "per-path-ignores[legacy/**]: unknown rule 'PL9'"),
    ("- select\n", "config must be a mapping of keys, not list"),
    ("select: [PL5\n", ".podlint.yaml:2:1: invalid YAML in config"),
])
def test_a_config_mistake_is_exit_2_naming_the_key(tree, monkeypatch, config, says):
    (tree / ".podlint.yaml").write_text(config)
    code, findings, output = run(["lint", "apps/web"], tree, monkeypatch)
    assert code == 2 and findings == []
    (line,) = [line for line in output.splitlines() if line.startswith("podlint: error:")]
    assert says in line and str(tree / ".podlint.yaml") in line
    assert "Traceback" not in output


def test_a_pyproject_mistake_names_the_key(tree, monkeypatch):
    (tree / "pyproject.toml").write_text('[tool.podlint]\nselect = ["PL5"]\nbogus = 1\n')
    code, _, output = run(["lint", "apps/web"], tree, monkeypatch)
    assert code == 2 and "unknown key 'bogus'" in output


def test_an_empty_config_file_is_the_defaults(tree):
    (tree / ".podlint.yaml").write_text("# nothing yet\n")
    settings = load_settings(None, all_rules(), str(tree))
    assert settings.select is None and settings.config_path == str(tree / ".podlint.yaml")


def test_load_settings_raises_config_error_for_bad_values(tree):
    (tree / ".podlint.yaml").write_text("select: [1]\n")
    with pytest.raises(ConfigError, match=r"select\.0: 1 is not of type 'string'"):
        load_settings(None, all_rules(), str(tree))


# ----------------------------------------------------------------------------- effects

def test_rule_options_and_severity_overrides_take_effect(tree, monkeypatch):
    assert run(["lint", "--select", "PL505", "agent.yaml"], tree, monkeypatch)[:2] == (0, [])
    (tree / ".podlint.yaml").write_text(
        "rules:\n  hostpath-volume: {severity: error, allow-in-daemonsets: false}\n")
    code, findings, _ = run(["lint", "--select", "PL505", "agent.yaml"], tree, monkeypatch)
    assert (code, findings) == (1, ["agent.yaml:16:11: PL505 [error]"])


def test_per_path_ignores(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("select: [PL5]\nper-path-ignores:\n  'apps/legacy/**': [PL5]\n")
    code, findings, _ = run(["lint", "."], tree, monkeypatch)
    assert findings == ["./apps/web/pod.yaml:14:13: PL502 [warning]"]


def test_cli_overrides_the_config_file(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("select: [PL505]\nfail-on: error\n"
                                        "rules: {PL505: {allow-in-daemonsets: false}}\n")
    code, findings, _ = run(["lint", "."], tree, monkeypatch)
    assert (code, findings) == (0, ["./agent.yaml:16:11: PL505 [warning]"])   # warning < fail-on error
    code, findings, _ = run(["lint", "--fail-on", "warning", "."], tree, monkeypatch)
    assert (code, findings) == (1, ["./agent.yaml:16:11: PL505 [warning]"])
    code, findings, _ = run(["lint", "--select", "PL502", "."], tree, monkeypatch)
    assert findings == ["./apps/legacy/pod.yaml:14:13: PL502 [warning]",
                        "./apps/web/pod.yaml:14:13: PL502 [warning]"]
    code, findings, _ = run(["lint", "--ignore", "PL505", "."], tree, monkeypatch)
    assert (code, findings) == (0, [])


def test_the_readme_config_example_is_valid():
    from ruamel.yaml import YAML

    from podlint.config import settings_from_mapping
    from tests.helpers import ROOT

    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Configuration")[1].split("```yaml\n")[1].split("```")[0]
    settings = settings_from_mapping(YAML(typ="safe").load(block), all_rules(), "README.md")
    assert settings.kubernetes_version == (1, 33)
    assert settings.rule_options["PL505"] == {"allow-in-daemonsets": False}


# ----------------------------------------------------------------------------- exclude

def test_exclude_prunes_directory_walks(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("select: [PL5]\nexclude: ['apps/legacy/**']\n")
    code, findings, output = run(["lint", "."], tree, monkeypatch)
    assert findings == ["./apps/web/pod.yaml:14:13: PL502 [warning]"]
    assert "in 2 files" in output


def test_a_file_named_on_the_command_line_is_linted_even_if_excluded(tree, monkeypatch):
    """Issue 10: exclude dropped an explicitly named file and reported "0 files"."""
    (tree / ".podlint.yaml").write_text("select: [PL5]\nexclude: ['apps/legacy/**']\n")
    code, findings, output = run(["lint", "apps/legacy/pod.yaml"], tree, monkeypatch)
    assert (code, findings) == (1, ["apps/legacy/pod.yaml:14:13: PL502 [warning]"])
    assert "in 1 file:" in output
    # named files win, the walk of a named folder still prunes
    code, findings, _ = run(["lint", "apps/legacy/pod.yaml", "apps"], tree, monkeypatch)
    assert findings == ["apps/legacy/pod.yaml:14:13: PL502 [warning]",
                        "apps/web/pod.yaml:14:13: PL502 [warning]"]


@pytest.mark.parametrize("how", ["flag", "config"])
def test_force_exclude_applies_exclude_to_named_files(how, tree, monkeypatch):
    config = "select: [PL5]\nexclude: ['apps/legacy/**']\n"
    args = ["lint", "apps/legacy/pod.yaml", "apps/web/pod.yaml"]
    if how == "flag":
        args.insert(1, "--force-exclude")
    else:
        config += "force-exclude: true\n"
    (tree / ".podlint.yaml").write_text(config)
    code, findings, output = run(args, tree, monkeypatch)
    assert findings == ["apps/web/pod.yaml:14:13: PL502 [warning]"]
    assert "in 1 file:" in output


def test_explain_lints_a_named_file_even_if_excluded(tree, monkeypatch):
    (tree / ".podlint.yaml").write_text("exclude: ['apps/legacy/**']\n")
    monkeypatch.chdir(tree)
    result = CliRunner().invoke(cli, ["explain", "-f", "json", "apps/legacy/pod.yaml"])
    assert result.exit_code == 0, result.output
    assert '"name": "web"' in result.output
