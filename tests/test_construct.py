"""podlint.construct builds ordinary documents the way ruamel's round-trip
constructor does: the same values, the same scalar types and the same position
of every key, value and item; what it does not build, ruamel does."""
from __future__ import annotations

from pathlib import Path

import pytest

from podlint.compose import _yaml_pair, compose_construct
from podlint.construct import Unusual, YamlMap, YamlSeq, construct
from podlint.limits import may_alias
from tests.robustness.support import CORPUS, needs_corpus

FIXTURES = Path(__file__).parent / "fixtures"


def _base_type(value):
    """ruamel's block scalars are str subclasses with the same text; every other
    type must be exactly the same."""
    return str if isinstance(value, str) else type(value)


def _assert_same(ours, theirs, path="$"):
    if isinstance(theirs, dict):
        assert isinstance(ours, YamlMap), path
        assert list(ours) == list(theirs), path
        assert (ours.lc.line, ours.lc.col) == (theirs.lc.line, theirs.lc.col), path
        for key in theirs:
            assert ours.lc.key(key) == theirs.lc.key(key), f"{path}.{key}"
            assert ours.lc.value(key) == theirs.lc.value(key), f"{path}.{key}"
            _assert_same(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, YamlSeq), path
        assert len(ours) == len(theirs), path
        assert (ours.lc.line, ours.lc.col) == (theirs.lc.line, theirs.lc.col), path
        for index, item in enumerate(theirs):
            assert ours.lc.item(index) == theirs.lc.item(index), f"{path}[{index}]"
            _assert_same(ours[index], item, f"{path}[{index}]")
    else:
        assert _base_type(ours) is _base_type(theirs), (path, ours, theirs)
        assert ours == theirs, path


def _compare(texts) -> tuple[int, int]:
    """(documents built by both and found equal, documents left to ruamel)."""
    fast, rt = _yaml_pair(False)
    same = unusual = 0
    for text in texts:
        if may_alias(text):             # the loader gives those to ruamel (which rewrites merge nodes)
            continue
        try:
            nodes = list(fast.compose_all(text))
        except Exception:           # not YAML: the loader's tests cover that
            continue
        for node in nodes:
            if node is None:
                continue
            try:
                theirs = rt.constructor.construct_document(node)
            except Exception:       # a document ruamel refuses (duplicate keys): not ours either
                rt.constructor.constructed_objects = {}
                with pytest.raises(Unusual):
                    construct(node, rt.constructor)
                continue
            try:
                ours = construct(node, rt.constructor)
            except Unusual:
                unusual += 1
                continue
            _assert_same(ours, theirs)
            same += 1
    return same, unusual


def _texts(paths):
    for path in paths:
        try:
            yield path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def test_scalars_types_and_positions_match_ruamel():
    text = """\
a: plain
b: "quoted"
c: 'single'
d: |
  block
e: >
  folded text
f: 42
g: -7
h: 0
i: 0644
j: 0x1F
k: 1_000
l: 0.5
m: .inf
n: true
o: False
p: null
q: ~
r:
s: 2024-01-02
t: [1, two, {u: v}]
80: numeric key
v: !!str 1
"""
    same, unusual = _compare([text])
    assert (same, unusual) == (1, 0)


@pytest.mark.parametrize("text", [
    "a: !custom x\n",                        # an unknown tag
    "base: {x: 1}\nb: {<<: {x: 2}, y: 3}\n",  # a merge key
    "? [a, b]\n: complex key\n",             # a sequence as a key
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!bool yes\n",                       # YAML 1.1's spelling under an explicit tag
    "a: !!bool '1'\n",
])
def test_what_only_ruamel_builds_is_left_to_it(text):
    fast, rt = _yaml_pair(False)
    (node,) = list(fast.compose_all(text))
    with pytest.raises(Unusual):
        construct(node, rt.constructor)


def test_an_explicit_bool_tag_reads_as_ruamel_reads_it():
    # hostNetwork: !!bool yes is true to ruamel (and to PL212), never silently false
    ((data, _, _),) = list(compose_construct("hostNetwork: !!bool yes\nb: !!bool true\n"))
    assert data["hostNetwork"] is True and data["b"] is True


def test_the_loader_still_reads_what_is_left_to_ruamel():
    text = "a: 1\nbase: &b {x: 1}\nmerged: {<<: *b, y: 2}\n"
    ((data, _, _),) = list(compose_construct(text))
    assert not isinstance(data, YamlMap)                   # ruamel built it
    assert data["merged"]["x"] == 1 and data["merged"].lc.value("y") == (2, 20)


def test_every_fixture_document_matches_ruamel():
    same, unusual = _compare(_texts(sorted(FIXTURES.rglob("*.y*ml"))))
    assert same > 400 and unusual < same / 20, (same, unusual)


@needs_corpus
def test_every_corpus_document_matches_ruamel():
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    same, unusual = _compare(_texts(files))
    assert same > 5000 and unusual < same / 20, (same, unusual)
