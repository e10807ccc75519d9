"""Finding fingerprints: code + object (kind/namespace/name) + container + field
path, independent of lines, document order, file paths and sibling containers."""
from __future__ import annotations

import json

from click.testing import CliRunner

from podlint.cli import cli
from podlint.fingerprint import field_path
from podlint.run import lint_text
from tests.robustness.support import CORPUS, needs_corpus

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


# ----------------------------------------------------------------------------- the descent = the definition

def _walk_every_node(data, line: int, column: int) -> str:
    """The definition of a field path, by brute force: of every key, value and
    item position at or before (line, column), the greatest (position, depth),
    the first met on ties. field_path descends instead; both must agree."""
    best, best_path = ((-1, -1), -1), ""
    target = (line - 1, column - 1)
    stack = [(data, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        positions = getattr(getattr(node, "lc", None), "data", None) or {}
        if isinstance(node, dict):
            items = [(f"{path}.{key}" if path else str(key), value, positions.get(key))
                     for key, value in node.items()]
            places = [[] if p is None else [(p[0], p[1]), (p[2], p[3])] for _, _, p in items]
        else:
            from podlint.fingerprint import _segment
            items = [(f"{path}{_segment(value, i)}", value, positions.get(i)) for i, value in enumerate(node)]
            places = [[] if p is None else [(p[0], p[1])] for _, _, p in items]
        for (child, value, _), wheres in zip(items, places):
            for where in wheres:
                if where <= target and (where, depth + 1) > best:
                    best, best_path = (where, depth + 1), child
            if isinstance(value, (dict, list)):
                stack.append((value, child, depth + 1))
    return best_path


def _positions(data):
    """Every key, value and item position of a document (1-based), and the
    columns just before and after each, where findings also point."""
    stack, out = [data], set()
    while stack:
        node = stack.pop()
        positions = getattr(getattr(node, "lc", None), "data", None) or {}
        for where in positions.values():
            for line, column in zip(where[::2], where[1::2]):
                out.update({(line + 1, column), (line + 1, column + 1), (line + 1, column + 2)})
        stack.extend(v for v in (node.values() if isinstance(node, dict) else node)
                     if isinstance(v, (dict, list)))
    return sorted(out)


def _documents_of(paths):
    from podlint.loader import LoadedFile, parse_text

    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for document in parse_text(text, LoadedFile(str(path))).documents:
            if isinstance(document.data, (dict, list)):
                yield document.data


def _shares_nodes(data) -> bool:
    """An alias makes one mapping reachable by two paths, and a merge key (<<)
    puts keys in a mapping whose places are elsewhere in the text; their
    positions are those of the anchor's place, which only the descent (following
    the text) names."""
    seen, stack = set(), [data]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        positions = getattr(getattr(node, "lc", None), "data", None) or {}
        if isinstance(node, dict) and any(key not in positions for key in node):
            return True
        stack.extend(v for v in (node.values() if isinstance(node, dict) else node)
                     if isinstance(v, (dict, list)))
    return False


def _check_agreement(documents) -> int:
    checked = 0
    for data in documents:
        if _shares_nodes(data):
            continue
        for line, column in _positions(data) + [(1, 1), (10**6, 1)]:
            assert field_path(data, line, column) == _walk_every_node(data, line, column), (line, column)
            checked += 1
    return checked


def test_field_path_agrees_with_the_definition_on_every_fixture_position():
    from pathlib import Path

    fixtures = sorted(Path(__file__).parent.joinpath("fixtures").rglob("*.y*ml"))
    assert _check_agreement(_documents_of(fixtures)) > 40_000


@needs_corpus
def test_field_path_agrees_with_the_definition_on_corpus_documents():
    import random

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml"))
    chosen = random.Random(20261204).sample(files, 400)
    assert _check_agreement(_documents_of(chosen)) > 50_000


def test_field_path_of_an_aliased_mapping_names_the_anchor_place():
    from pathlib import Path

    text = Path(__file__).parent.joinpath("fixtures", "hostile", "anchors_merge.yaml")
    (data,) = list(_documents_of([text]))[:1]
    assert _shares_nodes(data)
    # line 7 holds `matchLabels: &labels {...}`; the template's labels are `*labels`
    assert field_path(data, 7, 18) == "spec.selector.matchLabels"
