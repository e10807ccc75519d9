"""Property: whatever field of a real pod template holds the wrong type (null,
string, list, map, huge or negative number, boolean), every rule (select ALL),
the timeline (`explain`) and the graph (`graph`) run without an exception,
exit 0, 1 or 2, and every finding points at a real line and column of the
input.

The documents are picked from the corpus at test time (it sits beside the
repository, ../shared/corpus) and never copied into the repository.
Derandomized, so CI sees the same examples every run; benchmarks/fuzz.py
runs the same idea for as long as you like.
"""
from __future__ import annotations

import atexit
import copy
import io
import json
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from tests.robustness.support import (CORPUS, assert_locations_valid, corpus_files, invoke,
                                      needs_corpus)

pytestmark = needs_corpus       # every test here reads ../shared/corpus

KINDS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "Pod")
PER_KIND = {"Deployment": 5, "StatefulSet": 4, "DaemonSet": 3, "CronJob": 3, "Job": 2, "Pod": 3}
FEATURES = ("initContainers", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
            "preStop", "postStart", "volumeMounts", "volumes", "ports", "restartPolicy",
            "terminationGracePeriodSeconds", "envFrom", "valueFrom", "hostPath", "emptyDir",
            "serviceAccountName", "imagePullSecrets", "securityContext", "sleep")
WRONG = [None, "", "x", "-1", [], ["x"], [None], {}, {"x": None}, {"name": []}, 0, -1, -(2**63) - 1,
         2**64, 10**30, 1e308, 0.5, True, False]


def _template(document: dict):
    """The pod template: the Pod itself, spec.template, or a CronJob's."""
    if document.get("kind") == "Pod":
        return document
    if document.get("kind") == "CronJob":
        return document.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template")
    return document.get("spec", {}).get("template")


@lru_cache(maxsize=1)
def documents() -> tuple[dict, ...]:
    """About 20 varied pod-carrying documents: per kind, the ones that use the
    most lifecycle features, from different projects first."""
    scored: dict[str, list] = {kind: [] for kind in KINDS}
    for path in corpus_files():
        if path.stat().st_size > 40_000:
            continue
        text = path.read_text("utf-8", "replace")
        for kind in KINDS:
            if f"kind: {kind}\n" in text:
                score = sum(feature in text for feature in FEATURES)
                scored[kind].append((-score, str(path)))
    yaml = YAML(typ="safe")
    chosen: list[dict] = []
    for kind in KINDS:
        projects: set[str] = set()
        picked = 0
        for _, path in sorted(scored[kind]):
            project = Path(path).relative_to(CORPUS).parts[0]
            if project in projects:
                continue
            try:
                docs = list(yaml.load_all(Path(path).read_text("utf-8")))
            except Exception:
                continue
            for document in docs:
                if isinstance(document, dict) and document.get("kind") == kind \
                        and isinstance(_template(document), dict):
                    chosen.append(document)
                    projects.add(project)
                    picked += 1
                    break
            if picked == PER_KIND[kind]:
                break
    assert len(chosen) >= 18, len(chosen)
    return tuple(chosen)


def _template_path(document: dict) -> tuple:
    kind = document.get("kind")
    return {"Pod": (), "CronJob": ("spec", "jobTemplate", "spec", "template")}.get(kind, ("spec", "template"))


def field_paths(value, prefix=()) -> list[tuple]:
    """Every key and list item below `value` (the template itself excluded)."""
    out = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.append((*prefix, key))
        out.extend(field_paths(child, (*prefix, key)))
    return out


def mutated(document: dict, path: tuple, value) -> dict:
    doc = copy.deepcopy(document)
    node = doc
    for key in _template_path(document) + path[:-1]:
        node = node[key]
    node[path[-1]] = copy.deepcopy(value)
    return doc


def to_yaml(document: dict) -> str:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


WORKDIR = Path(tempfile.mkdtemp(prefix="podlint-property-"))     # hypothesis cannot use tmp_path
atexit.register(shutil.rmtree, WORKDIR, True)


def check_everything(text: str) -> None:
    path = str(WORKDIR / "mutated.yaml")
    Path(path).write_text(text, encoding="utf-8")
    lint = invoke("lint", "--no-config", "--select", "ALL", "--extend-select", "PL507",
                  "--report-unused-ignores", "--jobs", "1", "-f", "json", path)
    assert lint.exit_code in (0, 1, 2)
    report = lint.json()
    assert "PL000" not in report["summary"]["by_code"], [f for f in report["findings"] if f["code"] == "PL000"]
    assert_locations_valid(report["findings"], {path: text})
    explained = invoke("explain", "--no-config", "-f", "json", path)
    assert explained.exit_code in (0, 1, 2)
    assert "PL000" not in explained.stderr, explained.stderr
    for workload in json.loads(explained.stdout)["workloads"]:
        assert_locations_valid(workload["findings"], {path: text})
    graphed = invoke("graph", "-f", "json", path)
    assert graphed.exit_code in (0, 1, 2)
    json.loads(graphed.stdout or "{}")


def test_the_documents_are_varied():
    chosen = documents()
    assert {d["kind"] for d in chosen} == set(KINDS)
    assert sum(len(field_paths(_template(d))) for d in chosen) > 1000


@settings(max_examples=500, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_any_template_field_of_any_type(data):
    chosen = documents()
    document = chosen[data.draw(st.integers(0, len(chosen) - 1), label="document")]
    paths = field_paths(_template(document))
    path = paths[data.draw(st.integers(0, len(paths) - 1), label="field")]
    value = data.draw(st.sampled_from(WRONG), label="value")
    check_everything(to_yaml(mutated(document, path, value)))


def test_every_field_of_one_template_in_turn(tmp_path):
    """Exhaustive for the richest template of at most 80 fields: each field,
    each wrong type; lint only (explain and graph are in the sampled test)."""
    sizes = sorted(((len(field_paths(_template(d))), n) for n, d in enumerate(documents())), reverse=True)
    document = documents()[next(n for size, n in sizes if size <= 80)]
    paths = field_paths(_template(document))
    assert len(paths) >= 40
    texts = {}
    for path in paths:
        for value in (None, "x", [], {}, -(2**63) - 1, 2**64, True):
            text = to_yaml(mutated(document, path, value))
            name = str(tmp_path / f"each-{len(texts):05d}.yaml")
            Path(name).write_text(text, encoding="utf-8")
            texts[name] = text
    out = invoke("lint", "--no-config", "--select", "ALL", "--jobs", "1", "-f", "json", str(tmp_path))
    assert out.exit_code in (1, 2)
    report = out.json()
    assert "PL000" not in report["summary"]["by_code"], [f for f in report["findings"] if f["code"] == "PL000"][:3]
    assert_locations_valid(report["findings"], texts)
    assert report["summary"]["files"] == len(texts)
