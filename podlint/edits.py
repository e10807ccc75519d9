"""Certain fixes as minimal text edits: what a rule asks for, and the characters that change.

A rule's `fix(ctx)` yields `Fix` objects: the finding it repairs and one or more
*changes*, stated on the round-trip data the rule already reads (`SetValue`:
this mapping's key gets this value; `ReplaceKey`: this key and its value become
another key and value). This module turns them into edits of the text, located
with the start and end marks of the composed YAML nodes, so that every byte
outside the changed field stays as it was.

Why text edits and not a ruamel round-trip dump: a dump re-indents sequences,
re-wraps long lines, re-quotes scalars and moves comments in many real files,
so a one-line fix would rewrite untouched lines; the issue asks for every
untouched byte kept. Edits here replace one scalar's span, one collection's
span, or insert one key in the mapping's own style (a new line at the
mapping's indentation for block style, `, key: value` before the closing brace
for flow style and JSON), with the file's own line break. The fix runner then
re-parses the result and compares the data with the intended change before it
keeps anything (podlint/fix.py).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from podlint.finding import Finding


# ----------------------------------------------------------------------------- what rules say

@dataclass(frozen=True)
class SetValue:
    """`mapping[key] = value`; a key that is absent is inserted (before the key
    `before` when it starts a line of a block mapping, else after the last key)."""
    mapping: Any
    key: str
    value: Any
    before: str | None = None


@dataclass(frozen=True)
class ReplaceKey:
    """`old: ...` becomes `new: value` at the same place (e.g. exec -> sleep)."""
    mapping: Any
    old: str
    new: str
    value: Any


@dataclass(frozen=True)
class Fix:
    """One finding and the changes that repair it."""
    finding: Finding
    changes: tuple
    description: str


class NotCertain(Exception):
    """The text around a change is not one we can edit with certainty."""


# ----------------------------------------------------------------------------- text edits

@dataclass(frozen=True, order=True)
class TextEdit:
    start: int
    end: int
    text: str


@dataclass
class Op:
    """The change as data, for verification: set path = value, or delete path."""
    doc: int
    path: tuple
    value: Any = None
    delete: bool = False


@dataclass
class Located:
    doc: int
    path: tuple
    node: Any


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_PLAIN_SAFE = re.compile(r"^(-[A-Za-z]|[A-Za-z_/])[A-Za-z0-9_./-]*$")
_NOT_STRINGS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"})


class Document:
    """A text with its composed node trees, indexed by position, ready for edits.

    `text` is what the YAML parser read (a JSON file's tabs are spaces, which
    keeps every offset); edits apply to the file's own text at the same offsets.
    """

    def __init__(self, text: str, is_json: bool, original: str | None = None):
        from ruamel.yaml import YAML
        import ruamel.yaml.main as yaml_main

        self.text = text
        self.original = text if original is None else original    # a JSON file's tabs kept
        self.json = is_json
        self.newline = _dominant_newline(text)
        pure = yaml_main.CParser is None
        self.roots = list(YAML(typ="safe", pure=pure).compose_all(text))
        self.index: dict[tuple[int, int, bool], Located] = {}
        steps: Counter = Counter()
        for number, root in enumerate(self.roots):
            if root is not None:
                self._walk(number, root, (), steps)
        self.step = steps.most_common(1)[0][0] if steps else 2

    def _walk(self, doc: int, node, path: tuple, steps: Counter) -> None:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        stack = [(node, path)]
        seen: set[int] = set()
        while stack:
            node, path = stack.pop()
            if id(node) in seen:
                continue                        # an alias: the anchor's path wins
            seen.add(id(node))
            if isinstance(node, MappingNode):
                key = (node.start_mark.line, node.start_mark.column, True)
                self.index.setdefault(key, Located(doc, path, node))
                for key_node, value_node in node.value:
                    if isinstance(value_node, MappingNode) and not value_node.flow_style \
                            and not node.flow_style:
                        step = value_node.start_mark.column - key_node.start_mark.column
                        if step > 0:
                            steps[step] += 1
                    stack.append((value_node, path + (_key_value(key_node),)))
            elif isinstance(node, SequenceNode):
                key = (node.start_mark.line, node.start_mark.column, False)
                self.index.setdefault(key, Located(doc, path, node))
                for number, item in enumerate(node.value):
                    stack.append((item, path + (number,)))

    # ------------------------------------------------------------------ lookups
    def locate(self, data: Any) -> Located:
        lc = getattr(data, "lc", None)
        if lc is None or lc.line is None:
            raise NotCertain("no position")
        found = self.index.get((lc.line, lc.col, isinstance(data, dict)))
        if found is None:
            raise NotCertain("no node at the data's position")
        return found

    @staticmethod
    def pair(node, key: str):
        """(key node, value node) of `key` written in this mapping itself (not merged)."""
        from ruamel.yaml.nodes import ScalarNode

        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return key_node, value_node
        return None

    # ------------------------------------------------------------------ changes -> edits
    def edits_for(self, change) -> tuple[list[TextEdit], list[Op]]:
        if isinstance(change, SetValue):
            return self._set(change)
        if isinstance(change, ReplaceKey):
            return self._replace_key(change)
        raise NotCertain(f"unknown change {type(change).__name__}")

    def _set(self, change: SetValue) -> tuple[list[TextEdit], list[Op]]:
        where = self.locate(change.mapping)
        op = Op(where.doc, where.path + (change.key,), change.value)
        found = self.pair(where.node, change.key)
        if found is not None:
            return [self._replace_value(found[1], change.value)], [op]
        return [self._insert(where.node, change.key, change.value, change.before)], [op]

    def _replace_key(self, change: ReplaceKey) -> tuple[list[TextEdit], list[Op]]:
        where = self.locate(change.mapping)
        found = self.pair(where.node, change.old)
        if found is None or self.pair(where.node, change.new) is not None:
            raise NotCertain(f"key {change.old} not found, or {change.new} already there")
        key_node, value_node = found
        if key_node.start_mark.line != key_node.end_mark.line:
            raise NotCertain("a multi-line key")
        key_edit = TextEdit(key_node.start_mark.index, key_node.end_mark.index, self._key(change.new))
        value_edit = self._replace_value(value_node, change.value)
        return ([key_edit, value_edit],
                [Op(where.doc, where.path + (change.old,), delete=True),
                 Op(where.doc, where.path + (change.new,), change.value)])

    def _replace_value(self, node, value: Any) -> TextEdit:
        from ruamel.yaml.nodes import ScalarNode

        start = node.start_mark.index
        if isinstance(node, ScalarNode) and not isinstance(value, (dict, list)):
            if node.style in ("|", ">") or node.start_mark.line != node.end_mark.line:
                raise NotCertain("a multi-line scalar")
            return TextEdit(start, node.end_mark.index, self._scalar(value, node.style))
        end = self._content_end(node)
        column = node.start_mark.column
        if isinstance(node, ScalarNode) or getattr(node, "flow_style", False) or self.json:
            text = self._flow(value, column)
        else:
            text = self._block_value(value, column)
        return TextEdit(start, end, text)

    def _insert(self, node, key: str, value: Any, before: str | None) -> TextEdit:
        if not node.flow_style:
            indent = node.start_mark.column
            if before is not None:
                found = self.pair(node, before)
                if found is not None:
                    mark = found[0].start_mark
                    line_start = mark.index - mark.column
                    if not self.text[line_start: mark.index].strip():
                        line = " " * indent + self._entry(key, value, indent)
                        return TextEdit(line_start, line_start, line + self.newline)
            end = self._content_end(node)
            line = " " * indent + self._entry(key, value, indent)
            if end > 0 and self._at_line_start(end):
                return TextEdit(end, end, line + self.newline)
            eol = self._line_end(end)
            return TextEdit(eol, eol, self.newline + line)
        # Flow mapping (and every JSON object): before the closing brace.
        close = node.end_mark.index - 1
        if self.text[close: close + 1] != "}":
            raise NotCertain("flow mapping without a closing brace where expected")
        if not node.value:
            return TextEdit(close, close, self._pair(key, value, node.start_mark.column))
        last_key, last_value = node.value[-1]
        end = self._content_end(last_value)
        if last_key.start_mark.line > node.start_mark.line:
            column = last_key.start_mark.column
            mark = last_key.start_mark.index
            indent = self.original[mark - column: mark]
            if indent.strip():
                indent = " " * column
            return TextEdit(end, end, "," + self.newline + indent + self._pair(key, value, column))
        return TextEdit(end, end, ", " + self._pair(key, value, node.start_mark.column))

    # ------------------------------------------------------------------ positions
    def _content_end(self, node) -> int:
        """Where a node's own text ends: for a block collection, the end of its
        last descendant (libyaml ends a block collection at the next token, past
        comments and blank lines); a block scalar without its trailing blank lines."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(node, MappingNode) else last
        end = node.end_mark.index
        if isinstance(node, ScalarNode) and node.style in ("|", ">"):
            while end > node.start_mark.index and self._at_line_start(end):
                previous = self._line_start(end - 1)
                if self.text[previous:end].strip():
                    break
                end = previous
        return end

    def _at_line_start(self, offset: int) -> bool:
        return offset == 0 or self.text[offset - 1] in "\n\r\x85\u2028\u2029"

    def _line_start(self, offset: int) -> int:
        while offset > 0 and self.text[offset - 1] not in "\n\r\x85\u2028\u2029":
            offset -= 1
        return offset

    def _line_end(self, offset: int) -> int:
        match = _BREAK.search(self.text, offset)
        return match.start() if match else len(self.text)

    # ------------------------------------------------------------------ rendering
    def _key(self, key: str) -> str:
        return json.dumps(key, ensure_ascii=False) if self.json else self._scalar(key, None)

    def _pair(self, key: str, value: Any, column: int) -> str:
        return f"{self._key(key)}: {self._flow(value, column)}"

    def _entry(self, key: str, value: Any, indent: int) -> str:
        if isinstance(value, (dict, list)) and value:
            return f"{self._key(key)}:{self._block(value, indent + self.step)}"
        return f"{self._key(key)}: {self._flow(value, indent)}"

    def _block(self, value: Any, indent: int) -> str:
        """A block collection as the lines after `key:`, each at `indent`."""
        out = []
        pad = self.newline + " " * indent
        if isinstance(value, dict):
            for key, item in value.items():
                out.append(pad + self._entry(key, item, indent))
        else:
            for item in value:
                if isinstance(item, (dict, list)) and item:
                    raise NotCertain("nested collections in a block sequence")
                out.append(pad + "- " + self._flow(item, indent))
        return "".join(out)

    def _block_value(self, value: Any, column: int) -> str:
        """A block collection written where an old one started (at `column`)."""
        if not isinstance(value, (dict, list)) or not value:
            return self._flow(value, column)
        return self._block(value, column)[len(self.newline) + column:]

    def _flow(self, value: Any, column: int) -> str:
        if self.json:
            return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self._key(k)}: {self._flow(v, column)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            quote = any(isinstance(v, str) and not _plain_ok(v) for v in value)
            return "[" + ", ".join(self._scalar(v, '"' if quote else None) if not isinstance(v, (dict, list))
                                   else self._flow(v, column) for v in value) + "]"
        return self._scalar(value, None)

    def _scalar(self, value: Any, style: str | None) -> str:
        if self.json:
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, bool) or value is None:
            return json.dumps(value)
        if isinstance(value, (int, float)):
            return str(value)
        if style == "'" and "\n" not in value:
            return "'" + value.replace("'", "''") + "'"
        if style == '"' or not _plain_ok(value):
            return json.dumps(value, ensure_ascii=False)
        return value


def _plain_ok(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLAIN_SAFE.match(value)) \
        and value.lower() not in _NOT_STRINGS


def _key_value(node) -> Any:
    return getattr(node, "value", None) if not isinstance(getattr(node, "value", None), list) else id(node)


def _dominant_newline(text: str) -> str:
    counts = Counter(_BREAK.findall(text[:100_000]))
    return counts.most_common(1)[0][0] if counts else "\n"


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    """Bottom-up, so earlier offsets stay valid. Edits must not overlap."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end:]
    return out


def apply_ops(documents: list, ops: list[Op]) -> list:
    """The intended data: each op applied to a copy of the parsed documents."""
    import copy

    out = copy.deepcopy(documents)
    for op in ops:
        if op.doc >= len(out):
            raise NotCertain("document out of range")
        node = out[op.doc]
        for step in op.path[:-1]:
            node = node[step]
        if op.delete:
            node.pop(op.path[-1], None)
        else:
            node[op.path[-1]] = copy.deepcopy(op.value)
    return out
