"""C-composed YAML nodes to plain data with positions, for ordinary documents.

ruamel's round-trip constructor is the slow half of loading: generators per
node, comment and anchor bookkeeping, and `CommentedMap`, whose `[]`, `get` and
iteration are Python methods that every rule pays for again on every access.
A Kubernetes manifest needs none of that: mappings of plain scalars, sequences,
and the line and column of every key, value and item. This builds exactly that:
`YamlMap` (a dict) and `YamlSeq` (a list), each with an `lc` that answers the
same questions as ruamel's (`line`, `col`, `key(k)`, `value(k)`, `item(i)`),
from the same marks the round-trip constructor reads, so positions are the same.

Anything out of the ordinary (tags with a handle or unknown ones, merge keys,
complex keys, duplicate keys, `!!omap`/`!!set`/`!!binary`, a `!!bool` spelled
other than YAML 1.2's true/false) is not guessed at:
`construct` raises `Unusual` and the caller hands the document to ruamel's
constructor, which knows every corner of YAML. Documents with aliases never come
here (the caller checks first), so every node is met once. The core tags
written out (`!!str 1`, `!!int "8080"`) resolve as libyaml resolves them, to
the same values ruamel builds. Scalars other than
plain strings, null, booleans and decimal integers (floats, timestamps, octal or
underscored integers) are built by ruamel's own scalar constructors, so their
values and types are ruamel's. Block scalars (`|`, `>`) are plain `str` here
where ruamel returns its `str` subclasses: the same text.

tests/test_construct.py checks that both constructors give equal data, types
and positions on every fixture and corpus document.
"""
from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

_CORE = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT = (_CORE + name for name in ("str", "null", "bool", "int"))
_MAP, _SEQ = _CORE + "map", _CORE + "seq"
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_PLAIN_DECIMAL = re.compile(r"[-+]?[1-9][0-9]*\Z")   # ruamel keeps the width of 0 and 007


class Unusual(Exception):
    """The document needs ruamel's full constructor."""


class Positions:
    """Where a mapping's keys and values, or a sequence's items, start (0-based
    line and column, as ruamel's `LineCol`)."""

    __slots__ = ("line", "col", "data")

    def __init__(self, line: int, col: int, data: dict) -> None:
        self.line, self.col, self.data = line, col, data

    def key(self, key: Any) -> tuple[int, int]:
        where = self.data[key]
        return where[0], where[1]

    def value(self, key: Any) -> tuple[int, int]:
        where = self.data[key]
        return where[2], where[3]

    def item(self, index: int) -> tuple[int, int]:
        where = self.data[index]
        return where[0], where[1]


class YamlMap(dict):
    """A mapping of a loaded manifest, with the positions of its keys and values."""

    __slots__ = ("lc",)


class YamlSeq(list):
    """A sequence of a loaded manifest, with the positions of its items."""

    __slots__ = ("lc",)


def construct(node: Any, scalars: Any) -> Any:
    """The data of a composed document. `scalars` is ruamel's round-trip
    constructor, for the scalar types built here only through it.
    Raises `Unusual` for what only ruamel should build."""
    kind = node.__class__
    ctag = node.ctag
    if ctag is None or ctag.handle is not None:
        raise Unusual
    tag = ctag.suffix
    if kind is ScalarNode:
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if node.anchor or node.value not in _BOOLS:
                raise Unusual           # `!!bool yes`: ruamel reads YAML 1.1's spellings
            return _BOOLS[node.value]
        if tag == _INT and _PLAIN_DECIMAL.match(node.value) and not node.anchor:
            return int(node.value)
        if tag in _RUAMEL_SCALARS:
            return getattr(scalars, _RUAMEL_SCALARS[tag])(node)
        raise Unusual
    if kind is MappingNode:
        if tag != _MAP:
            raise Unusual
        mapping = YamlMap()
        places: dict[Any, list[int]] = {}
        start = node.start_mark
        mapping.lc = Positions(start.line, start.column, places)
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                raise Unusual
            key = construct(key_node, scalars)
            if key in places:
                raise Unusual               # ruamel reports the duplicate
            key_at, value_at = key_node.start_mark, value_node.start_mark
            places[key] = [key_at.line, key_at.column, value_at.line, value_at.column]
            mapping[key] = construct(value_node, scalars)
        return mapping
    if kind is SequenceNode:
        if tag != _SEQ:
            raise Unusual
        sequence = YamlSeq()
        places = {}
        start = node.start_mark
        sequence.lc = Positions(start.line, start.column, places)
        for index, item in enumerate(node.value):
            item_at = item.start_mark
            places[index] = [item_at.line, item_at.column]
            sequence.append(construct(item, scalars))
        return sequence
    raise Unusual


# Scalars whose reading has corners (octal, sexagesimal, underscores, .inf,
# time zones): ruamel's round-trip constructor's own methods, node by node.
_RUAMEL_SCALARS = {
    _INT: "construct_yaml_int",
    _CORE + "float": "construct_yaml_float",
    _CORE + "timestamp": "construct_yaml_timestamp",
}
