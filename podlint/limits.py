"""The bounds that keep time and memory proportional to a sensible manifest.

Documents are composed and linted one part of a file at a time (loader.py), so
what one process holds is bounded by the largest *document*, not the file: the
limits here are per document, and a file's total is bounded only by
`--max-file-size`. Two checks run on the text before libyaml composes anything
(`check_text`: nesting, and nodes per document), the others on each composed
document before it is constructed (`check_depth`, `check_expansion`).
docs/robustness.md lists them with the tests that hold them.
"""
from __future__ import annotations

import re
from typing import Any

from podlint.sources import Problem

MAX_NESTING = 5000                  # per file: libyaml's C composer recurses once per level
MAX_DEPTH = 128                     # per document: ruamel's constructor recurses
MAX_DOCUMENT_NODES = 1_000_000      # per document as written: what one document may cost
MAX_EXPANDED_NODES = 1_000_000      # per document after alias expansion (billion laughs)


class DocumentProblem(Exception):
    """A document that parsed as YAML but cannot be used (alias bomb, duplicate key)."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


# ----------------------------------------------------------------------------- the text

# `---` at the start of a line always starts a document: libyaml reads it as a
# marker in any context (inside a flow collection or a quoted scalar it is an
# error), so no collection nests across it.
_DOCUMENT_MARKER = re.compile(r"^---(?=\s|$)", re.MULTILINE)


def document_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the pieces of `text` between `---` lines.

    Each piece holds whole documents, so a bound computed per piece holds per
    document. With a `%` directive line anywhere the text is one piece: a
    directive belongs to the document after the next `---`, and a piece parsed
    on its own without it could fail early and hide what follows.
    """
    if text.startswith("%") or "\n%" in text:
        return [(0, len(text))]
    cuts = [m.start() for m in _DOCUMENT_MARKER.finditer(text)]
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    cuts.append(len(text))
    return list(zip(cuts, cuts[1:]))


def check_text(text: str) -> Problem | None:
    """Where the text goes past MAX_NESTING levels or holds a document of more
    than MAX_DOCUMENT_NODES nodes, found before libyaml composes it; None for
    almost every file without reading a single YAML event.

    libyaml's composer (C) recurses once per level and past about 20,000 levels
    (`[[[[...`, `- - - ...`) overflows the C stack: a segfault no `except`
    catches. Every level needs an opening bracket or about two characters of one
    line, and every node at least two characters, so two counts per piece
    between `---` lines clear ordinary files, bundles of any size included; the
    rest are measured with libyaml's event parser, which keeps its own stack.
    """
    if len(text) <= MAX_NESTING:
        return None
    line = 0
    position = 0
    for start, end in document_segments(text):
        line += text.count("\n", position, start)
        position = start
        size = end - start
        deep = (text.count("[", start, end) + text.count("{", start, end) > MAX_NESTING // 2
                or (size >= MAX_NESTING // 4 and _longest_line(text[start:end]) >= MAX_NESTING // 4))
        if deep or size > 2 * MAX_DOCUMENT_NODES:
            problem = _scan_events(text[start:end] if (start, end) != (0, len(text)) else text, line)
            if problem is not None:
                return problem
    return None


def _longest_line(piece: str) -> int:
    # (A regex for "a line of 1,250 characters" backtracks at every position:
    # 28 s on a 10 MB file of 1 KB lines; splitting is 0.08 s.)
    return max(map(len, piece.split("\n")))


def _scan_events(piece: str, line_offset: int) -> Problem | None:
    from ruamel.yaml import YAML
    from ruamel.yaml.events import (AliasEvent, CollectionEndEvent, CollectionStartEvent,
                                    DocumentStartEvent, ScalarEvent)

    depth = nodes = 0
    start = (line_offset + 1, 1)
    try:
        for event in YAML(typ="safe").parse(piece):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                nodes += 1
                if depth > MAX_NESTING:
                    mark = event.start_mark
                    return Problem(line_offset + mark.line + 1, mark.column + 1,
                                   f"nesting is deeper than {MAX_NESTING:,} levels; file not read")
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
                continue
            elif isinstance(event, (ScalarEvent, AliasEvent)):
                nodes += 1
            elif isinstance(event, DocumentStartEvent):
                nodes = 0
                start = (line_offset + event.start_mark.line + 1, event.start_mark.column + 1)
                continue
            if nodes > MAX_DOCUMENT_NODES:
                return Problem(*start, f"document holds more than {MAX_DOCUMENT_NODES:,} YAML nodes; "
                               "file not read (podlint's memory bound, see docs/robustness.md)")
    except Exception:
        return None         # a syntax error: composing reports it where it is
    return None


def deepest_nesting(text: str, limit: int) -> tuple[int, Any]:
    """(depth, mark) of the deepest collection of a YAML text, stopping as soon as
    it passes `limit`; (0, None) when the text does not parse (whoever composes it
    reports the syntax error where it is). libyaml's event parser keeps its own
    stack and never recurses, so this is safe on any nesting. Used by the config
    reader."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = deepest = 0
    mark = None
    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > deepest:
                    deepest, mark = depth, event.start_mark
                    if deepest > limit:
                        break
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except Exception:
        return 0, None
    return deepest, mark


# ----------------------------------------------------------------------------- one document

def depth_bound(piece: str) -> int:
    """An upper bound on how deep any node of `piece` nests. A flow level needs an
    opening bracket; a block level needs at least one character of indentation or
    a `- `/`? ` on the line of its node; so brackets plus the longest line bound it."""
    if len(piece) <= MAX_DEPTH:
        return len(piece)
    return piece.count("[") + piece.count("{") + _longest_line(piece)


def check_depth(root) -> None:
    """Refuse a document nested deeper than MAX_DEPTH levels, before construction.

    ruamel's constructor recurses about four Python frames a level, so past about
    230 levels a RecursionError stops it, at a depth that changes with the caller's
    own stack (the main process and a --jobs worker differ). A fixed limit keeps
    the outcome the same everywhere, and keeps later stages far from the limit.
    Level by level, each node once per level: an alias shared a million times costs
    one visit, and a recursive alias (`&a [*a]`) comes out as too deep.
    """
    level, depth = [root], 1
    while level:
        if depth > MAX_DEPTH:
            mark = level[0].start_mark
            raise DocumentProblem(mark.line + 1, mark.column + 1,
                                  f"nesting is deeper than {MAX_DEPTH} levels; document not read")
        below: dict[int, Any] = {}
        for node in level:
            if type(node.value) is list:            # sequence or mapping (scalars hold str)
                for item in node.value:
                    for child in item if type(item) is tuple else (item,):
                        below[id(child)] = child
        level = list(below.values())
        depth += 1


_ANCHOR_NAME = re.compile(r"&([0-9A-Za-z_-]+)")
_ALIAS_NAME = re.compile(r"\*([0-9A-Za-z_-]+)")


def may_alias(piece: str, pure: bool = False) -> bool:
    """Can this text hold an alias? libyaml (the C composer) names anchors and
    aliases with [0-9A-Za-z_-]+ only, so a real alias shows as `*NAME` and its
    anchor as `&NAME` with the same NAME: when no name is written after both, no
    document of the text has an alias and the expansion walk is skipped. `&&` in
    shell commands and `*` in globs or RBAC rules put most files through the
    cheaper test only (corpus: 49 files hold both characters, 14 an alias). The
    pure loader accepts wider names, so it keeps the plain character test."""
    if "&" not in piece or "*" not in piece:
        return False
    if pure:
        return True
    aliases = set(_ALIAS_NAME.findall(piece))
    return bool(aliases) and not aliases.isdisjoint(_ANCHOR_NAME.findall(piece))


def check_expansion(root) -> None:
    """Count nodes as they would be after expanding every alias (billion laughs)."""
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        kids = children(node)
        if not done:
            sizes[key] = -1        # in progress (recursive aliases resolve to 1)
            stack.append((node, True))
            stack.extend((child, False) for child in kids if id(child) not in sizes)
            continue
        total = 1 + sum(max(sizes.get(id(child), 1), 1) for child in kids)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            mark = root.start_mark
            raise DocumentProblem(mark.line + 1, mark.column + 1,
                                  f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes "
                                  "(YAML alias bomb); document not read")


def children(node) -> list:
    """The child nodes of a composed node (keys and values of a mapping)."""
    value = node.value
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, tuple):
                out.extend(item)
            else:
                out.append(item)
        return out
    return []
