"""Finding fingerprints: code + object (kind/namespace/name) + container + field
path, independent of lines, document order, file paths and sibling containers."""
from __future__ import annotations

import json

from click.testing import CliRunner

from podlint.cli import cli
from podlint.fingerprint import field_path
from podlint.run import lint_text

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 80}]
          livenessProbe: {httpGet: {path: /, port: 80}, timeoutSeconds: 5, periodSeconds: 2}
"""
# Selects the Deployment's pods: with it in scope the pod serves traffic (PL201, PL301).
SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
OTHER = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {a: b}
"""


def _prints(text: str, path: str = "a.yaml") -> dict[str, str]:
    return {f"{f.code}:{f.field_path}": f.fingerprint for f in lint_text(text, path=path)}


def test_field_paths_name_containers_and_keys():
    paths = {(f.code, f.field_path) for f in lint_text(DEPLOY)}
    assert ("PL204", "spec.template.spec.containers[name=app].livenessProbe.timeoutSeconds") in paths
    assert ("PL401", "spec.template.spec.containers[name=app].name") in paths


def test_fingerprint_survives_moved_lines_reordered_documents_and_renamed_files():
    before = _prints(DEPLOY)
    moved = "# a comment\n# another\n" + OTHER + "---\n" + DEPLOY.replace(
        "          image: nginx:1.27\n", "          # pinned\n          image: nginx:1.27\n")
    assert _prints(moved, path="elsewhere/b.yaml") == before
    assert len(set(before.values())) == len(before)         # distinct findings, distinct prints


def test_fingerprint_survives_a_container_inserted_before():
    inserted = DEPLOY.replace("        - name: app\n", "        - name: sidecar\n          image: envoy:1\n"
                              "          restartPolicy: Always\n        - name: app\n", 1)
    before, after = _prints(DEPLOY), _prints(inserted)
    for key, value in before.items():
        assert after[key] == value


def test_fingerprint_changes_with_object_identity():
    renamed = DEPLOY.replace("name: web, namespace: shop", "name: web, namespace: prod")
    assert set(_prints(renamed).values()).isdisjoint(_prints(DEPLOY).values())


def test_field_path_of_list_items_without_names_uses_the_index():
    from podlint.loader import LoadedFile, parse_text

    loaded = parse_text(DEPLOY, LoadedFile("a.yaml"))
    data = loaded.documents[0].data
    # line 12 is `ports: [{containerPort: 80}]`; column 19 is the `{` of the item
    assert field_path(data, 12, 19) == "spec.template.spec.containers[name=app].ports[0]"
    assert field_path(data, 1, 1) == "apiVersion"


def test_json_and_sarif_carry_the_fingerprint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "d.yaml").write_text(DEPLOY)
    runner = CliRunner()
    doc = json.loads(runner.invoke(cli, ["lint", "d.yaml", "-f", "json"]).output)
    prints = [f["fingerprint"] for f in doc["findings"]]
    assert all(isinstance(p, str) and len(p) == 20 for p in prints)
    sarif = json.loads(runner.invoke(cli, ["lint", "d.yaml", "-f", "sarif"]).output)
    results = sarif["runs"][0]["results"]
    assert [r["partialFingerprints"]["podlint/v1"] for r in results] == prints
    assert all(r["partialFingerprints"]["primaryLocationLineHash"] == f"{p}:1"
               for r, p in zip(results, prints))
