"""The fast schema checker (podlint.schema_fast) against jsonschema, the reference.

The fast checker may only ever say "certainly valid" when jsonschema reports
nothing; for plain documents (string keys, shallow) it must also recognise
every valid one, or it would not save any time. Checked on every manifest
fixture in the repository and on generated mutations of two real documents.
"""
from __future__ import annotations

import copy
import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from podlint import schema
from podlint.loader import LoadedFile, discover, load_source, parse_text
from podlint.schema_fast import MAX_DEPTH, VALIDATION_KEYWORDS, Definitions, compile_kind

ROOT = Path(__file__).resolve().parent.parent
TARGET = "1.35"
VERSION = schema.schema_version_for(TARGET)


def reference(data, api_version, kind):
    """jsonschema's answer: the violations podlint reports with the fast path off."""
    saved = schema._FAST
    schema._FAST = False
    try:
        return schema.validate_document(data, api_version, kind, TARGET)
    finally:
        schema._FAST = saved


def raw_errors(data, api_version, kind):
    """jsonschema's own errors, before podlint turns them into violations (a null
    IntOrString, for example, is a jsonschema error that podlint does not report)."""
    return list(schema._validator(VERSION, api_version, kind).iter_errors(data))


def fast_verdict(data, api_version, kind):
    checker = schema._fast_checker(VERSION, api_version, kind)
    assert checker is not None, f"no fast checker for {api_version} {kind}"
    return checker(data, 0)


def plain(data, depth=0) -> bool:
    """String keys only and shallow: the documents the fast checker must decide."""
    if depth > MAX_DEPTH - 4:
        return False
    if isinstance(data, dict):
        return all(isinstance(k, str) and plain(v, depth + 1) for k, v in data.items())
    if isinstance(data, list):
        return all(plain(v, depth + 1) for v in data)
    return True


def schema_documents(paths):
    for source in discover(paths):
        for document in load_source(source).documents:
            data = document.data
            if not isinstance(data, dict):
                continue
            api_version, kind = data.get("apiVersion"), data.get("kind")
            if not isinstance(api_version, str) or not isinstance(kind, str):
                continue
            try:
                if schema._kind_schema(VERSION, api_version, kind) is None:
                    continue
            except TypeError:
                continue
            yield document, api_version, kind


def test_keyword_list_matches_jsonschema():
    from jsonschema import Draft202012Validator

    assert VALIDATION_KEYWORDS == frozenset(Draft202012Validator.VALIDATORS)


def test_every_fixture_document_agrees_with_jsonschema():
    paths = [str(ROOT / "tests" / "fixtures"), str(ROOT / "examples"), str(ROOT / "benchmarks" / "data")]
    checked = valid = 0
    for document, api_version, kind in schema_documents(paths):
        errors = reference(document.data, api_version, kind)
        verdict = fast_verdict(document.data, api_version, kind)
        where = f"{document.path} document {document.index}"
        if verdict:
            assert errors == [] and raw_errors(document.data, api_version, kind) == [], where
        elif plain(document.data):
            assert raw_errors(document.data, api_version, kind), \
                f"{where}: valid, but the fast checker did not see it"
        checked += 1
        valid += not errors
        # and the public answer is the same with the fast path on
        assert schema.validate_document(document.data, api_version, kind, TARGET) == errors, where
    assert checked > 100 and valid > 50


def test_every_kind_of_the_schema_version_compiles():
    names = schema._file_names(VERSION)
    compiled = 0
    for name in sorted(names):
        if name.startswith("_"):
            continue
        data = schema._definitions(VERSION)  # noqa: F841  (warms the shared cache)
        import json
        import os
        with open(os.path.join(schema._version_dir(VERSION), name), encoding="utf-8") as fh:
            kind_schema = json.load(fh)
        if "x-kubernetes-group-version-kind" not in kind_schema:
            continue
        assert compile_kind(kind_schema, schema._fast_definitions(VERSION)) is not None, name
        compiled += 1
    assert compiled > 50


def test_refuses_what_it_does_not_mirror():
    definitions = Definitions({"$id": "https://kubernetes.io/api/_definitions.json", "$defs": {
        "Odd": {"type": "string", "pattern": "^a$"},
        "Branchy": {"oneOf": [{"$ref": "#/$defs/Odd"}, {"type": "integer"}]},
    }})
    base = "https://kubernetes.io/api/x"
    # an unsupported keyword in a definition: that definition always answers "ask"
    odd = compile_kind({"$id": base, "properties": {"a": {"$ref": "/api/_definitions.json#/$defs/Odd"}}},
                       definitions)
    assert odd({"a": "a"}, 0) is False
    assert odd({}, 0) is True
    # a oneOf whose branches are not plain type checks is not decided at all
    assert definitions.get("Branchy")(1, 0) is False
    # a relative $ref inside a kind file resolves against the kind's own $id: refuse
    assert compile_kind({"$id": base, "$ref": "#/$defs/Odd"}, definitions) is None
    assert compile_kind({"properties": {}}, definitions) is None       # no $id
    assert compile_kind({"$id": base, "minLength": 1}, definitions) is None


def test_types_follow_podlints_jsonschema_type_checker():
    from ruamel.yaml.scalarbool import ScalarBoolean

    definitions = Definitions({"$id": "https://kubernetes.io/api/_definitions.json", "$defs": {}})
    base = "https://kubernetes.io/api/x"

    def accepts(types, value):
        return compile_kind({"$id": base, "type": types}, definitions)(value, 0)

    assert accepts("string", datetime.date(2024, 1, 1))       # YAML dates are strings
    assert accepts("boolean", ScalarBoolean(True))             # anchored booleans
    assert not accepts("integer", ScalarBoolean(1))
    assert not accepts("integer", True)
    assert not accepts("number", False)
    assert not accepts("integer", 1.0)
    assert accepts("number", 10 ** 5000)                       # too big to print, still a number
    assert accepts(["string", "null"], None)
    assert not accepts("object", [])
    int_or_string = {"$id": base, "oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]}
    assert compile_kind(int_or_string, definitions)(80, 0)
    assert not compile_kind(int_or_string, definitions)(None, 0)   # both branches: jsonschema says invalid
    assert reference_none_is_not_reported()


def reference_none_is_not_reported() -> bool:
    # null IntOrString: jsonschema errors (valid under both), podlint reports nothing;
    # the fast path answered "ask", and the public answer stays [].
    text = ("apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
            "spec:\n  ports:\n    - port: 80\n      targetPort: null\n")
    data = parse_text(text, LoadedFile("s.yaml")).documents[0].data
    return schema.validate_document(data, "v1", "Service", TARGET) == reference(data, "v1", "Service") == []


def _crd(open_api_schema):
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "widgets.example.com"},
            "spec": {"group": "example.com", "scope": "Namespaced",
                     "names": {"plural": "widgets", "kind": "Widget"},
                     "versions": [{"name": "v1", "served": True, "storage": True,
                                   "schema": {"openAPIV3Schema": open_api_schema}}]}}


def test_deep_and_recursive_documents_go_to_jsonschema():
    api_version, kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
    shallow = _crd({"type": "object", "properties": {"a": {"type": "string"}}})
    assert fast_verdict(shallow, api_version, kind) is True
    assert reference(shallow, api_version, kind) == []
    recursive = {"type": "object"}
    recursive["properties"] = {"a": recursive}          # what a self-referencing alias builds
    data = _crd(recursive)
    assert fast_verdict(data, api_version, kind) is False
    errors = reference(data, api_version, kind)
    assert [e.message for e in errors] == [
        "document is too deeply nested (or recursive) to validate against the schema"]
    assert schema.validate_document(data, api_version, kind, TARGET) == errors
    deep = node = {"type": "object"}
    for _ in range(MAX_DEPTH):
        node["properties"] = {"a": {"type": "object"}}
        node = node["properties"]["a"]
    assert fast_verdict(_crd(deep), api_version, kind) is False     # too deep to decide here
    assert schema.validate_document(_crd(deep), api_version, kind, TARGET) == \
        reference(_crd(deep), api_version, kind)


def test_valid_file_is_linted_without_importing_jsonschema():
    """The pre-commit case: all documents valid, so jsonschema is never imported."""
    code = ("import sys, runpy\n"
            f"sys.argv = ['podlint', 'lint', {str(ROOT / 'benchmarks' / 'data' / 'deployment-service.yaml')!r}]\n"
            "try:\n    runpy.run_module('podlint', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('jsonschema' in sys.modules, 'networkx' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False False", out.stdout + out.stderr


# ----------------------------------------------------------------------------- mutations

def _load(path: Path):
    loaded = load_source(discover([str(path)])[0])
    return [d.data for d in loaded.documents]


SEEDS = _load(ROOT / "benchmarks" / "data" / "deployment-service.yaml")
VALUES = st.sampled_from([None, "", "80", 80, -1, 2 ** 70, 1.5, True, False, [], {}, {"x": 1},
                          ["a"], [{"name": "n"}], datetime.date(2024, 1, 1), "RollingUpdate"])


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


def _mutate(data, path, action, value, extra_key):
    if not path:
        return data
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    value = copy.deepcopy(value)        # never share one list or map between two places
    if action == "set":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][extra_key] = value
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, len(SEEDS) - 1), pick=st.integers(0, 10 ** 6),
       action=st.sampled_from(["set", "delete", "add"]), value=VALUES,
       extra_key=st.sampled_from(["name", "image", "ports", "livenesProbe", "typo", "port", "x"]),
       more=st.lists(st.tuples(st.integers(0, 10 ** 6), VALUES), max_size=2))
def test_mutations_never_fool_the_fast_checker(seed, pick, action, value, extra_key, more):
    data = copy.deepcopy(SEEDS[seed])
    api_version, kind = data["apiVersion"], data["kind"]
    paths = list(_paths(data))
    data = _mutate(data, paths[pick % len(paths)], action, value, extra_key)
    for other_pick, other_value in more:
        paths = list(_paths(data))
        data = _mutate(data, paths[other_pick % len(paths)], "set", other_value, extra_key)
    if not isinstance(data, dict):
        return
    errors = raw_errors(data, api_version, kind)
    verdict = fast_verdict(data, api_version, kind)
    if verdict:
        assert errors == [] and reference(data, api_version, kind) == []
    elif plain(data):
        assert errors, "valid plain document not recognised"


@pytest.mark.parametrize("api_version,kind", [("apps/v1", "Deployment"), ("v1", "Pod"),
                                               ("apiextensions.k8s.io/v1", "CustomResourceDefinition")])
def test_common_kinds_have_a_fast_checker(api_version, kind):
    assert schema._fast_checker(VERSION, api_version, kind) is not None
