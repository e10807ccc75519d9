"""Timing assumptions that change nothing are said, not swallowed (issue 10:
"`--assume nosuch.startup=45s` naming a container no workload has is accepted
silently"). `--assume` and config `assume:` keys naming no container of the run
are a warning on stderr (the exit code stays about the manifests); a pod's
`podlint/assume` entry naming a container that pod lacks, or malformed, is a
PL005 finding at the annotation."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from podlint.cli import cli

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations: {}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
    spec:
      initContainers:
        - {name: migrate, image: "example/migrate:1.0"}
      containers:
        - name: api
          image: example/api:1.0
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
"""


def invoke(tmp_path, monkeypatch, *args: str, config: str | None = None, manifest: str = DEPLOYMENT):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "k8s").mkdir(exist_ok=True)
    (tmp_path / "k8s" / "api.yaml").write_text(manifest)
    if config is not None:
        (tmp_path / ".podlint.yaml").write_text(config)
    return CliRunner().invoke(cli, list(args))


NOSUCH = ('podlint: warning: --assume nosuch.startup=45s: no {} workload has a container named '
          '"nosuch"; it changes nothing\n')


@pytest.mark.parametrize("command,where", [("lint", "linted"), ("explain", "explained")])
def test_assume_naming_no_container_is_a_warning(command, where, tmp_path, monkeypatch):
    args = [command, "--no-config", "k8s/api.yaml"] + (["--select", "PL5"] if command == "lint" else [])
    quiet = invoke(tmp_path, monkeypatch, *args, "--assume", "api.startup=45s")
    loud = invoke(tmp_path, monkeypatch, *args, "--assume", "nosuch.startup=45s")
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert (loud.exit_code, loud.stderr) == (0, NOSUCH.format(where))
    assert loud.stdout == quiet.stdout.replace("api.startup", "nosuch.startup") or command == "explain"


def test_a_near_miss_gets_a_suggestion(tmp_path, monkeypatch):
    result = invoke(tmp_path, monkeypatch, "lint", "--no-config", "--select", "PL5", "--assume",
                    "image-pull=5s,apii.startup=45s,migrate.run=2m", "k8s")
    assert result.stderr == ('podlint: warning: --assume apii.startup=45s: no linted workload has a '
                             'container named "apii" (did you mean "api"?); it changes nothing\n')


def test_config_keys_are_checked_when_a_folder_is_linted(tmp_path, monkeypatch):
    config = "select: [PL5]\nassume: {nosuch.startup: 45s, api.startup: 30s}\n"
    folder = invoke(tmp_path, monkeypatch, "lint", "k8s", config=config)
    assert folder.exit_code == 0
    assert folder.stderr.startswith("podlint: warning: assume nosuch.startup in ")
    assert folder.stderr.endswith('.podlint.yaml: no linted workload has a container named "nosuch"; '
                                  "it changes nothing\n")
    # pre-commit names a few staged files: the project-wide config rightly covers others
    named = invoke(tmp_path, monkeypatch, "lint", "k8s/api.yaml", config=config)
    assert (named.exit_code, named.stderr) == (0, "")


ANNOTATED = DEPLOYMENT.replace(
    "  annotations: {}\n",
    '  annotations:\n    podlint/assume: "api.startup=45s, apii.startup=30s, migrate.run=soon"\n')


def test_pod_annotation_naming_a_missing_container_is_pl005(tmp_path, monkeypatch):
    result = invoke(tmp_path, monkeypatch, "lint", "--no-config", "--select", "PL005", "k8s",
                    manifest=ANNOTATED)
    assert result.exit_code == 1
    findings = [line for line in result.stdout.splitlines() if not line.startswith("  hint: ")]
    assert findings[:2] == [
        'k8s/api.yaml:6:21: PL005 [warning] podlint/assume "apii.startup" names no container of this '
        "pod (it has: api, migrate), so it changes nothing (Deployment/api)",
        "k8s/api.yaml:6:21: PL005 [warning] podlint/assume migrate.run: 'soon' is not a duration like "
        "90s, 2m or 1m30s (Deployment/api)"]


def test_a_good_annotation_is_quiet(tmp_path, monkeypatch):
    good = ANNOTATED.replace(", apii.startup=30s, migrate.run=soon", ", migrate.run=2m, image-pull=5s")
    result = invoke(tmp_path, monkeypatch, "lint", "--no-config", "--select", "PL005", "k8s", manifest=good)
    assert (result.exit_code, result.stdout.splitlines()[0]) == (0, "0 findings in 1 file: 1 linted, "
                                                                   "0 with parse errors, 0 skipped; 1 document, "
                                                                   "1 workload")
