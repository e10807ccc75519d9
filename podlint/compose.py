"""YAML text to Python objects with positions: compose in C, construct in Python.

Loading path (libraries.md 2.7): libyaml composes the node tree in C, then an
ordinary document is built by podlint.construct into dicts and lists that carry
`.lc` positions, and anything unusual (tags, merge keys, aliases) by ruamel's
round-trip constructor into CommentedMap/CommentedSeq objects with the same
`.lc`. Same positions as the pure round-trip loader, 4 to 5 times faster with
ruamel's constructor and twice that with podlint's. The pure loader stays
available (`pure=True`) for the test that proves them equal and as the fallback
when the C extension is missing.

Nothing here constructs arbitrary objects: the round-trip constructor turns unknown
tags (including `!!python/...`) into plain tagged values, and `_check_tags` reports
them. Documents come one at a time (`compose_construct`); a document that composes
but cannot be used (duplicate key, alias bomb, too deep, a tag) comes as a
`DocumentProblem` and the next document follows; a YAML syntax error ends the
stream (the loader resumes after the next `---`).
"""
from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from typing import Any

from podlint.construct import Unusual, construct
from podlint.limits import (MAX_DEPTH, DocumentProblem, check_depth, check_expansion, children,
                            depth_bound, may_alias)
from podlint.sources import Problem, line_col_of_offset

_PAIRS: dict[bool, tuple] = {}


def compose_construct(text: str, pure: bool = False) -> Iterator[tuple[Any, int | None, int]]:
    """(data or DocumentProblem, end line (1-based; None for an empty document),
    end offset) per document.

    The end is where the document's root node ends in `text`, so the caller can
    cut a file into parts between documents. The cheap guards are decided per
    document from its own text (from the previous document's end to its own):
    one alias, tag or long line in a 20 MB bundle does not put every other
    document through the walks.
    """
    fast, rt = _yaml_pair(pure)
    composer = rt.compose_all if fast is None else fast.compose_all
    check_tags = "!" in text
    previous = 0
    nodes = composer(text)
    collecting = gc.isenabled()
    try:
        while True:
            # The cyclic collector is off while one document is composed and
            # constructed: the nodes die by reference counting as soon as it is
            # built, and the collector only re-scanned them (10-20 % of a bundle's
            # time). It runs again, on what survives, before the next document.
            gc.disable()
            try:
                node = next(nodes, _END)
                if node is _END:
                    return
                if node is None:
                    done = None, None, previous
                else:
                    end = node.end_mark
                    piece = text[previous:end.index] if previous < end.index else text
                    previous = max(previous, end.index)
                    done = _build(rt, node, piece, fast is None, check_tags), end.line + 1, end.index
            finally:
                if collecting:
                    gc.enable()
            yield done
    except BaseException:
        _PAIRS.pop(pure, None)
        raise


_END = object()


def _build(rt, node, piece: str, pure: bool, check_tags: bool) -> Any:
    """The constructed document, or the DocumentProblem that stops it."""
    from ruamel.yaml.constructor import DuplicateKeyError

    try:
        aliased = may_alias(piece, pure=pure)
        if aliased:
            check_expansion(node)
        if depth_bound(piece) > MAX_DEPTH:
            check_depth(node)
        if not (pure or aliased):
            try:
                return construct(node, rt.constructor)
            except Unusual:
                pass                            # ruamel's constructor, below, knows every corner
        try:
            data = rt.constructor.construct_document(node)
        except DuplicateKeyError:
            _reset(rt.constructor)
            duplicate = _find_duplicate_key(node)
            if duplicate:
                raise DocumentProblem(*duplicate) from None
            raise
        if check_tags and "!" in piece:
            _check_tags(node)
    except DocumentProblem as problem:
        return problem
    return data


def _reset(constructor) -> None:
    """Forget a document the constructor gave up on half-way, so that the next
    document starts clean (the composer is not affected)."""
    constructor.constructed_objects = {}
    constructor.recursive_objects = {}
    constructor.state_generators = []
    constructor.deep_construct = False


# ----------------------------------------------------------------------------- the YAML objects

def _yaml_pair(pure: bool):
    """(composer, constructor) YAML instances, reused across files of a process.

    A failed load can leave a constructor half-way through a document, so the
    pair is dropped after any exception that ends a stream."""
    pair = _PAIRS.get(pure)
    if pair is not None:
        return pair
    from ruamel.yaml import YAML
    import ruamel.yaml.main as yaml_main

    rt = YAML(pure=pure)
    rt.allow_duplicate_keys = False
    rt.Resolver = _fast_resolver_class()      # the same YAML 1.2 reading on both paths
    if pure or yaml_main.CParser is None:
        pair = (None, rt)
    else:
        rt.Constructor = _fast_constructor_class()
        pair = (_c_composer(yaml_main.CParser, _fast_resolver_class()), rt)
    _PAIRS[pure] = pair
    return pair


def _fast_resolver_class():
    """ruamel's VersionedResolver looks up the YAML version through two caught
    AttributeErrors for every scalar when libyaml drives it; podlint reads YAML 1.2
    only, so the table is built once and the tags are shared (as ruamel already
    shares its DEFAULT_*_TAG objects). About a third of the C loading time."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    class FastResolver(VersionedResolver):
        _table: dict | None = None

        @property
        def processing_version(self):
            return (1, 2)

        def resolve(self, kind, value, implicit):
            if kind is ScalarNode:
                if implicit[0]:
                    table = FastResolver._table
                    if table is None:
                        table = FastResolver._table = {}
                        for first, entries in self.versioned_resolver.items():
                            # A plain `=` is the string "=" to Kubernetes' YAML reader, not
                            # YAML 1.1's "value" key (which ruamel would construct as an object).
                            table[first] = tuple((Tag(suffix=tag), regexp) for tag, regexp in entries
                                                 if tag != "tag:yaml.org,2002:value")
                    for tag, regexp in table.get(value[0] if value else "", ()):
                        if regexp.match(value):
                            return tag
                return self.DEFAULT_SCALAR_TAG
            if kind is SequenceNode:
                return self.DEFAULT_SEQUENCE_TAG
            if kind is MappingNode:
                return self.DEFAULT_MAPPING_TAG
            return super().resolve(kind, value, implicit)

    return FastResolver


def _fast_constructor_class():
    """The round-trip constructor minus two per-node costs on the hybrid path:
    `node.tag` (a property that formats the Tag object into a string, three
    calls per node) and `flatten_mapping`, which imports MergeValue and compares
    every key's tag twice to find `<<` merge keys that almost no manifest has.
    A tag with a handle or a %-escape, or any merge/value key, takes ruamel's own
    code unchanged. About 7 % of the loading time."""
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.mergevalue import MergeValue

    special = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")

    class FastConstructor(RoundTripConstructor):
        def construct_non_recursive_object(self, node, tag=None):
            if tag is None:
                ctag = node.ctag
                if ctag is not None and ctag.handle is None:
                    suffix = ctag.suffix
                    if type(suffix) is str and "%" not in suffix:
                        tag = suffix            # what str(ctag) returns for it
            return RoundTripConstructor.construct_non_recursive_object(self, node, tag)

        def flatten_mapping(self, node):
            for key_node, _ in node.value:
                ctag = key_node.ctag
                if ctag is None or ctag.handle is not None:
                    break
                suffix = ctag.suffix
                if type(suffix) is not str or suffix in special or "%" in suffix:
                    break
            else:
                return MergeValue()             # what ruamel returns for no merge key
            return RoundTripConstructor.flatten_mapping(self, node)

    return FastConstructor


def _c_composer(cparser, resolver):
    """libyaml composing nodes with podlint's resolver, like `YAML(typ="safe")
    .compose_all` but without ruamel's wrapper around it: that defines a new
    loader class on every call (a type object per file, which only the cyclic
    collector can free) and appends a DocInfo per call to the reused YAML
    object, so memory grew with the number of files. The class is built once
    here; the nodes are the same (same C parser, same resolver)."""

    class Composer(cparser, resolver):
        def __init__(self, stream):
            cparser.__init__(self, stream)
            self._parser = self._composer = self
            resolver.__init__(self, version=None, loadumper=self)

    class ComposeAll:
        @staticmethod
        def compose_all(text: str) -> Iterator[Any]:
            composer = Composer(text)
            try:
                while composer.check_node():
                    yield composer.get_node()
            finally:
                composer.dispose()
                # it points at itself four times: let reference counting free it
                composer._parser = composer._composer = None
                composer.loadumper = composer._resolver = None

    return ComposeAll()


# ----------------------------------------------------------------------------- document problems

def _find_duplicate_key(root) -> tuple[int, int, str] | None:
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            continue
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    key = _key_identity(key_node)
                    if key in first and first[key] is not key_node:
                        one, two = first[key].start_mark, key_node.start_mark
                        return (two.line + 1, two.column + 1,
                                f'duplicate key "{short(key_node.value)}" (first at line '
                                f'{one.line + 1}, column {one.column + 1}); Kubernetes rejects it')
                    first[key] = key_node
                stack.append(value_node)
                stack.append(key_node)
        else:
            stack.extend(children(node))
    return None


def _key_identity(node) -> Any:
    """The key as the constructor hashes it, so that `~` and `null`, or `1` and
    `0x1`, are found as the duplicates ruamel refuses (with both positions)."""
    tag = str(node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", node.tag))
    value = node.value
    kind = tag.rsplit(":", 1)[-1]
    try:
        if kind == "null":
            return None
        if kind == "bool":
            return value.lower() == "true"
        if kind == "int":
            digits = value.replace("_", "")
            prefixed = digits.lstrip("+-")[:2].lower() in ("0x", "0o", "0b")
            return int(digits, 0) if prefixed else int(digits, 10)
        if kind == "float":
            return float(value.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan"))
    except ValueError:
        pass
    return value


# The resolved and the `!!str`-style tags, as ruamel stores them (Tag.suffix with no
# handle): a node whose tag is one of these needs no string conversion.
_STANDARD_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "map", "seq", "omap", "set", "timestamp", "binary",
    "merge", "value"))


def _check_tags(root) -> None:
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        ctag = node.ctag
        if ctag is None or ctag.handle is not None or ctag.suffix not in _STANDARD_TAGS:
            tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", None)
            if tag and tag != "!" and tag not in _STANDARD_TAGS:
                mark = node.start_mark
                raise DocumentProblem(mark.line + 1, mark.column + 1,
                                      f"YAML tag {short(tag)} is not plain data: Kubernetes "
                                      "cannot read it (podlint never constructs tagged objects)")
        value = node.value
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):
                    stack.extend(item)
                else:
                    stack.append(item)


def short(value: Any, limit: int = 60) -> str:
    """`value` as one printable line of at most `limit` characters."""
    text = str(value)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ----------------------------------------------------------------------------- syntax errors

def describe_yaml_error(exc: Exception, text: str) -> Problem:
    """A YAML exception as a position in `text` and one line of message."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif getattr(exc, "position", None) is not None:          # ReaderError
        line, column = line_col_of_offset(text, int(exc.position))
    else:
        line, column = 1, 1
    if getattr(exc, "reason", None) and getattr(exc, "character", None) is not None:
        character = exc.character
        code = ord(character) if isinstance(character, str) else int(character)
        message = f"character U+{code:04X} is not allowed in YAML ({exc.reason})"
    elif problem:
        message = problem
        if context:
            message = f"{problem} ({context})"
    else:
        first = str(exc).strip().splitlines()
        message = first[0] if first else type(exc).__name__
    message = short(message, 200)
    if _line_has_tab(text, line, column):
        message += "; tabs cannot indent YAML, use spaces"
    line, column = _within(text, line, column)
    return Problem(line, column, f"invalid YAML: {message}")


def _line_has_tab(text: str, line: int, column: int) -> bool:
    lines = text.split("\n")
    return 0 < line <= len(lines) and "\t" in lines[line - 1][:column]


_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """libyaml marks an error found at the end of a file that lacks its last
    newline one line past the end; editors and annotations need a real line, so
    such a mark moves to the end of the last line (lines as libyaml counts them)."""
    lines = _YAML_BREAKS.split(text)
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, min(column, len(lines[line - 1]) + 1) if line >= 1 else column
