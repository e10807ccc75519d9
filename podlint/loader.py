"""Files in, documents out: the flow from a path to Documents with positions.

One job per module along the way: `sources` finds and decodes files, `helm`
recognises unrendered chart templates, `limits` refuses what would cost too
much before it is composed, `compose` turns YAML text into objects with
positions. This module strings them together, expands `kind: List`, reports
documents that are not objects and finds `# podlint:` directives. Every problem
becomes a PL001/PL002 finding with a location; nothing raises.

A file comes in *parts* of whole documents (`load_parts`; about PART_CHARS
characters of text each, so one part for any ordinary file): the linter
finishes a part and drops its documents before the next is composed, so a
20 MB bundle needs the memory of one part, not of the file. `load_source`
joins the parts for callers that want every document at once.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from podlint.compose import compose_construct, describe_yaml_error, short
from podlint.finding import Finding, Location
from podlint.helm import chart_template, template_text
from podlint.limits import (MAX_DEPTH, MAX_DOCUMENT_NODES, MAX_EXPANDED_NODES, MAX_NESTING,
                            DocumentProblem, check_text, deepest_nesting)
from podlint.sources import (DEFAULT_MAX_FILE_SIZE, MANIFEST_SUFFIXES, STDIN, STDIN_NAME, Problem,
                             Source, discover, read_text)

# What the rest of podlint imports from here, wherever it now lives.
__all__ = ["DEFAULT_MAX_FILE_SIZE", "MANIFEST_SUFFIXES", "MAX_DEPTH", "MAX_DOCUMENT_NODES",
           "MAX_EXPANDED_NODES", "MAX_LIST_NESTING", "MAX_NESTING", "STDIN", "STDIN_NAME",
           "Directive", "Document", "LoadedFile", "Source", "deepest_nesting", "discover",
           "iter_loaded", "load_parts", "load_source", "parse_parts", "parse_text", "read_source",
           "scan_directives"]

MAX_LIST_NESTING = 8            # kind: List inside kind: List
PART_CHARS = 1_000_000          # text per part of a file (whole documents; see load_parts)
MAX_SYNTAX_ERRORS = 100         # per file; each one re-reads the rest of the file

PARSE_ERROR = ("PL001", "parse-error")
INVALID_OBJECT = ("PL002", "invalid-object")


@dataclass
class Document:
    """One Kubernetes object (a YAML document, or an item of a `kind: List`)."""
    path: str
    index: int                  # document number in the file, 0-based
    data: Any                   # CommentedMap for objects; anything for odd documents
    line: int                   # 1-based start of the object
    column: int
    item: int | None = None     # position in the enclosing kind: List, if any


@dataclass(frozen=True)
class Directive:
    """A `# podlint: ignore=...` comment. `target` is the line it silences."""
    line: int
    column: int
    target: int
    codes: tuple[str, ...]
    text: str


@dataclass
class LoadedFile:
    path: str
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    skipped: str | None = None      # reason, when the file was deliberately not linted
    parse_failed: bool = False
    helm: Any = None                # podlint.helm_source.HelmSources of a `helm template` stream


# ----------------------------------------------------------------------------- reading

def read_source(source: Source, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> tuple[str | None, LoadedFile]:
    """Read and decode one source. Returns (text or None, LoadedFile holding any error)."""
    loaded = LoadedFile(source.path)
    text = read_text(source, max_file_size)
    if isinstance(text, Problem):
        _fail(loaded, *text)
        return None, loaded
    return text, loaded


def load_source(source: Source, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                pure: bool = False) -> LoadedFile:
    """Read, decode and parse one file into documents, directives and findings."""
    return _joined(LoadedFile(source.path), load_parts(source, max_file_size, pure))


def load_parts(source: Source, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
               pure: bool = False) -> Iterator[LoadedFile]:
    """One file as LoadedFile parts of whole documents, in order (see the module's
    docstring). Between them the parts hold what `load_source` would: each
    document once, each finding once, each directive in the part holding the line
    it silences; a skipped or unreadable file is one part."""
    if source.error is None:
        reason = chart_template(source.path)
        if reason is not None:
            yield LoadedFile(source.path, skipped=reason)
            return
    text, loaded = read_source(source, max_file_size)
    if text is None:
        yield loaded
        return
    yield from parse_parts(text, source.path, pure)


def parse_text(text: str, loaded: LoadedFile, pure: bool = False) -> LoadedFile:
    """Parse a whole text into `loaded` (tests, `lint_text`)."""
    return _joined(loaded, parse_parts(text, loaded.path, pure))


def _joined(into: LoadedFile, parts: Iterable[LoadedFile]) -> LoadedFile:
    for part in parts:
        into.documents.extend(part.documents)
        into.findings.extend(part.findings)
        into.directives.extend(part.directives)
        into.skipped = into.skipped or part.skipped
        into.parse_failed = into.parse_failed or part.parse_failed
        into.helm = into.helm if into.helm is not None else part.helm
    return into


def _fail(loaded: LoadedFile, line: int, column: int, message: str, code=PARSE_ERROR) -> None:
    if code is PARSE_ERROR:
        loaded.parse_failed = True
    loaded.findings.append(Finding(Location(loaded.path, line, column), code[0], code[1],
                                   "error", message,
                                   hint="fix the file so that it is valid YAML or JSON"
                                   if code is PARSE_ERROR else None))


# ----------------------------------------------------------------------------- parsing

def parse_parts(text: str, path: str, pure: bool = False,
                part_chars: int | None = None) -> Iterator[LoadedFile]:
    """Parse a decoded text into parts of whole documents of about `part_chars`
    (default PART_CHARS) characters each."""
    part_chars = part_chars or PART_CHARS
    if path.lower().endswith(".json"):
        # Tabs are JSON whitespace but cannot start a YAML token; a raw tab cannot
        # appear inside a JSON string, so replacing them keeps every column.
        text = text.replace("\t", " ")
        if "\\u" in text:
            text = _json_surrogates(text)
    reason = template_text(text)
    if reason is not None:
        yield LoadedFile(path, skipped=reason)
        return
    directives = scan_directives(text)
    helm = None
    if "# Source: " in text:            # every part maps its findings into the chart
        from podlint.helm_source import scan
        helm = scan(text)
    problem = check_text(text)
    if problem is not None:
        part = LoadedFile(path, directives=directives, helm=helm)
        _fail(part, *problem)
        yield part
        return
    parts = _Parts(text, directives)
    part, start = LoadedFile(path, helm=helm), 0
    for index, item, end_line, end in _documents(text, pure):
        if isinstance(item, Problem):
            _fail(part, *item)
        else:
            parts.add(part, index, item)
        if end_line is not None and end - start >= part_chars:
            parts.finish(part, end_line)
            yield part
            part, start = LoadedFile(path, helm=helm), end
    parts.finish(part, None)
    yield part


def _documents(text: str, pure: bool) -> Iterator[tuple[int, Any, int | None, int]]:
    """(index, data or Problem, end line, end offset) for each document of the
    text, and a Problem for each YAML syntax error. After a syntax error the
    stream resumes at the next `---` line below it, so one broken document does
    not hide the others; after MAX_SYNTAX_ERRORS the rest of the file is left."""
    index = 0
    offset_line = 0            # lines of `text` that `remaining` stands in for with newlines
    shift = 0                  # offset in `text` minus offset in `remaining`
    remaining = text
    markers: list[tuple[int, int]] | None = None
    for errors in range(1, MAX_SYNTAX_ERRORS + 2):
        try:
            for data, end_line, end in compose_construct(remaining, pure):
                if isinstance(data, DocumentProblem):
                    data = Problem(data.line, data.column, data.message)
                yield index, data, end_line, end + shift
                index += 1
            return
        except RecursionError:
            error = Problem(offset_line + 1, 1, "nesting is too deep to read")
        except Exception as exc:          # every YAMLError, and anything libyaml raises
            error = describe_yaml_error(exc, remaining)
        if errors > MAX_SYNTAX_ERRORS:
            yield index, Problem(error.line, error.column, f"more than {MAX_SYNTAX_ERRORS} YAML "
                                 "syntax errors; the rest of the file is not read"), None, len(text)
            return
        yield index, error, None, len(remaining) + shift
        if markers is None:
            markers = _document_markers(text)
        # Go on with the document after the next '---' below the error.
        at = bisect.bisect_left(markers, (max(error.line - 1, offset_line + 1), -1))
        if at == len(markers):
            return
        offset_line, cut = markers[at]
        remaining = "\n" * offset_line + text[cut:]
        shift = cut - offset_line
        index += 1


def _document_markers(text: str) -> list[tuple[int, int]]:
    """(0-based line, offset) of every `---` line."""
    out = []
    line = position = 0
    for match in _DOC_START.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        out.append((line, position))
    return out


class _Parts:
    """What a file's parts share: its directives, handed to the part that holds
    the line each one silences, and the documents that are not objects, which
    are reported only once the file is known to hold objects (see
    `_report_non_object`)."""

    def __init__(self, text: str, directives: list[Directive]):
        self.text = text
        self.directives = directives
        self.next_directive = 0
        self.has_objects = False
        self.pending: list[Document] = []
        self.starts: list[tuple[int, int]] | None = None

    def add(self, part: LoadedFile, index: int, data: Any) -> None:
        first = len(part.documents)
        _add_document(part, index, data)
        for doc in part.documents[first:]:
            if _is_object(doc.data):
                self.has_objects = True
            elif doc.item is None and doc.data is not None and not isinstance(doc.data, dict):
                if isinstance(doc.data, list) and any(_is_object(item) for item in doc.data):
                    self._report(part, doc)
                else:
                    self.pending.append(doc)

    def finish(self, part: LoadedFile, last_line: int | None) -> None:
        """Close `part`, whose last document ends on `last_line` (None: the last part)."""
        end = len(self.directives)
        if last_line is not None:
            end = self.next_directive
            while end < len(self.directives) and self.directives[end].target <= last_line:
                end += 1
        part.directives = self.directives[self.next_directive:end]
        self.next_directive = end
        if self.has_objects:
            for doc in self.pending:
                self._report(part, doc)
            self.pending = []

    def _report(self, part: LoadedFile, doc: Document) -> None:
        """PL001 for a document that is a scalar or a list: kubectl cannot apply it.

        Only where it is plainly a manifest mistake: the file also holds Kubernetes
        objects (a stray line of text between two `---`), or the list's items are
        objects (a `kind: List` that lost its header). Other YAML that a pre-commit
        hook hands over (Ansible playbooks, JSON patches, plain values) has no
        apiVersion/kind and is skipped silently like any non-Kubernetes document.
        """
        if isinstance(doc.data, list):
            what, (line, column) = "a list", (doc.line, doc.column)
        else:
            what = "a string" if isinstance(doc.data, str) else f"a scalar ({short(doc.data, 30)})"
            if self.starts is None:
                self.starts = _document_starts(self.text)
            line, column = self.starts[doc.index] if doc.index < len(self.starts) else (doc.line, doc.column)
        _fail(part, line, column, f"document {doc.index + 1} is {what}, not a Kubernetes "
              "object (a mapping with apiVersion and kind); kubectl cannot apply it")


def _is_object(data: Any) -> bool:
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


def _add_document(loaded: LoadedFile, index: int, data: Any, item: int | None = None,
                  depth: int = 0) -> None:
    line, column = _position(data)
    if _is_list(data) and depth < MAX_LIST_NESTING:
        items = data.get("items")
        if items is None:
            return
        if not isinstance(items, list):
            where = _value_position(data, "items", (line, column))
            _fail(loaded, where[0], where[1],
                  f"kind: List has items of type {type(items).__name__}, not a list", INVALID_OBJECT)
            return
        for number, child in enumerate(items):
            if not hasattr(child, "lc"):
                continue        # a null or scalar item carries no object
            _add_document(loaded, index, child, number if item is None else item, depth + 1)
        return
    loaded.documents.append(Document(loaded.path, index, data, line, column, item))


def _is_list(data: Any) -> bool:
    """`kind: List`, and the typed lists kubectl also accepts (`ConfigMapList`, ...)."""
    if not isinstance(data, dict) or not isinstance(data.get("apiVersion"), str):
        return False
    kind = data.get("kind")
    return kind == "List" or (isinstance(kind, str) and kind.endswith("List") and len(kind) > 4
                              and kind[0].isupper() and "items" in data)


def _position(data: Any) -> tuple[int, int]:
    lc = getattr(data, "lc", None)
    if lc is None:
        return 1, 1
    return (lc.line or 0) + 1, (lc.col or 0) + 1


def _value_position(mapping: Any, key: str, default: tuple[int, int]) -> tuple[int, int]:
    try:
        line, column = mapping.lc.value(key)
        return line + 1, column + 1
    except Exception:
        return default


def _document_starts(text: str) -> list[tuple[int, int]]:
    """1-based (line, column) where each document of a stream begins, in order.

    For documents that carry no position of their own (scalars). `---` at column
    0 always starts a document (it cannot occur inside a scalar), a leading part
    with only comments and directives is not a document, and content after `...`
    starts one without `---`.
    """
    starts: list[tuple[int, int] | None] = []
    open_doc = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _DOC_START.match(line):
            rest = line[3:]
            content = rest.strip()
            starts.append((number, 4 + len(rest) - len(rest.lstrip()))
                          if content and not content.startswith("#") else None)
            open_doc = True
            continue
        if line.startswith("...") and not line[3:].strip():
            open_doc = False
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or (not open_doc and line.startswith("%")):
            continue
        if not open_doc:
            starts.append(None)
            open_doc = True
        if starts[-1] is None:
            starts[-1] = (number, len(line) - len(line.lstrip()) + 1)
    return [start or (1, 1) for start in starts]


_DOC_START = re.compile(r"^---(\s|$)", re.MULTILINE)
_ESCAPED_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})")
_ESCAPED_SURROGATE = re.compile(r"(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _json_surrogates(text: str) -> str:
    """JSON writes a character above U+FFFF as two escapes (`json.dumps` does for
    every emoji); YAML does not combine them and libyaml rejects each half. Pairs
    become one `\\U0001F600` escape (2 columns shorter, on that line only) and lone
    halves U+FFFD, as Go's JSON decoder (kubectl's, for JSON) reads them."""
    def pair(match: re.Match) -> str:
        high, low = int(match.group(2), 16), int(match.group(3), 16)
        return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"

    text = _ESCAPED_PAIR.sub(pair, text)
    return _ESCAPED_SURROGATE.sub(lambda m: m.group(1) + "\\uFFFD", text)


# ----------------------------------------------------------------------------- directives

_DIRECTIVE = re.compile(r"(?:^|\s)(#\s*podlint\s*:(.*))$")
# Codes are comma-separated; anything after them ("-- reason") is commentary.
_IGNORE = re.compile(r"^\s*ignore\s*=\s*([A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)")


def scan_directives(text: str) -> list[Directive]:
    """Find `# podlint: ignore=CODES` comments in the raw text.

    A regex over lines is 0.03 s for 5 MB and needs no comment-keeping parse
    (libraries.md 2.3). A comment alone on its line silences the next line that
    holds something other than a comment; otherwise it silences its own line.
    A directive without codes is kept with codes=() so it can be reported.
    """
    if "podlint" not in text:
        return []
    lines = text.split("\n")
    out: list[Directive] = []
    for number, line in enumerate(lines, start=1):
        if "podlint" not in line:
            continue
        match = _DIRECTIVE.search(line)
        if not match:
            continue
        body = match.group(2)
        ignore = _IGNORE.match(body)
        codes = tuple(c.strip() for c in ignore.group(1).split(",") if c.strip()) if ignore else ()
        column = match.start(1) + 1
        target = number
        if not line[: match.start(1)].strip():
            target = number
            for later in range(number, len(lines)):
                stripped = lines[later].strip()
                if stripped and not stripped.startswith("#"):
                    target = later + 1
                    break
        out.append(Directive(number, column, target, codes, match.group(1).strip()))
    return out


def iter_loaded(paths: Iterable[str], max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> Iterator[LoadedFile]:
    """Stream files one at a time: nothing holds every document of a run."""
    for source in discover(paths):
        yield load_source(source, max_file_size)
