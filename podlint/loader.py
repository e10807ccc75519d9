"""Files in, documents out: the only stage that reads the disk.

Loading path (libraries.md 2.7): libyaml composes the node tree in C, then the
round-trip constructor turns each node into CommentedMap/CommentedSeq objects that
carry `.lc` positions. Same positions as the pure round-trip loader, 4 to 5 times
faster. The pure loader stays available (`pure=True`) for the test that proves the
two agree and as the fallback when the C extension is missing.

Nothing here constructs arbitrary objects: the round-trip constructor turns unknown
tags (including `!!python/...`) into plain tagged values, and we report them.
Every problem becomes a PL001/PL002 finding with a location; nothing raises.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from podlint.finding import Finding, Location

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024      # 20 MiB; the largest corpus file is 2 MB
MAX_EXPANDED_NODES = 1_000_000                 # alias bomb guard, counted after expansion
MAX_LIST_NESTING = 8                            # kind: List inside kind: List
MAX_NODES = 1_000_000                          # per file, before any alias expansion
MAX_DEPTH = 128                                # nesting levels per document
STDIN = "-"
STDIN_NAME = "<stdin>"

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


# ----------------------------------------------------------------------------- paths

@dataclass(frozen=True)
class Source:
    """A path to read, or a reason it cannot be read (reported as PL001)."""
    path: str
    error: str | None = None


def discover(paths: Iterable[str]) -> list[Source]:
    """Expand files and directories into a sorted, de-duplicated list of sources.

    Directories are searched recursively for .yaml/.yml/.json, skipping hidden
    files and folders; a file named explicitly is read whatever its suffix. The
    result is sorted by display path so that output never depends on the order
    the paths were given in.
    """
    found: dict[str, Source] = {}
    seen_real: set[str] = set()
    # Roots in sorted order: when two roots reach one file (a symlinked folder),
    # the display path that wins must not depend on the order on the command line.
    for raw in sorted(set(paths), key=lambda p: _sort_key(os.path.normpath(p))):
        if raw == STDIN:
            found.setdefault(STDIN_NAME, Source(STDIN_NAME))
            continue
        path = os.path.normpath(raw)
        if os.path.isdir(path):
            for source in _walk(path):
                _add(found, seen_real, source)
        elif os.path.lexists(path):
            _add(found, seen_real, Source(path))
        else:
            found.setdefault(path, Source(path, "no such file or directory"))
    return [found[k] for k in sorted(found, key=_sort_key)]


def _sort_key(path: str) -> tuple:
    return (path != STDIN_NAME, path.split(os.sep))


def _add(found: dict[str, Source], seen_real: set[str], source: Source) -> None:
    if source.error is None:
        real = os.path.realpath(source.path)
        if real in seen_real:
            return
        seen_real.add(real)
    found.setdefault(source.path, source)


def _walk(root: str) -> Iterator[Source]:
    """Depth-first, sorted. A folder that is its own ancestor (a symlink to `.` or
    `..`) is a loop and reported; a folder reached a second time by another route
    (two symlinks to one shared folder) is simply not walked again."""
    visited: set[tuple[int, int]] = set()
    stack: list[tuple[str, tuple]] = [(root, ())]
    while stack:
        folder, ancestors = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as exc:
            yield Source(folder, _os_reason(exc))
            continue
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            yield Source(folder, "directory symlink loop (already visited)")
            continue
        if key in visited:
            continue
        visited.add(key)
        ancestors = (*ancestors, key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Source(folder, _os_reason(exc))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(entry.path)
            elif entry.name.lower().endswith(MANIFEST_SUFFIXES):
                yield Source(entry.path)
        stack.extend((subfolder, ancestors) for subfolder in reversed(subfolders))


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


# ----------------------------------------------------------------------------- reading

def read_source(source: Source, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> tuple[str | None, LoadedFile]:
    """Read and decode one source. Returns (text or None, LoadedFile holding any error)."""
    loaded = LoadedFile(source.path)
    if source.error:
        _fail(loaded, 1, 1, f"cannot read: {source.error}")
        return None, loaded
    max_file_size = min(max_file_size, sys.maxsize - 1)     # read(n + 1) overflows past that
    try:
        if source.path == STDIN_NAME:
            data = sys.stdin.buffer.read(max_file_size + 1)
        else:
            info = os.stat(source.path)
            if stat.S_ISDIR(info.st_mode):
                _fail(loaded, 1, 1, "cannot read: is a directory")
                return None, loaded
            if not stat.S_ISREG(info.st_mode):
                _fail(loaded, 1, 1, "cannot read: not a regular file (FIFO, socket or device)")
                return None, loaded
            if info.st_size > max_file_size:
                _fail(loaded, 1, 1, f"file is {info.st_size:,} bytes, over the limit of "
                      f"{max_file_size:,} (--max-file-size)")
                return None, loaded
            with open(source.path, "rb") as handle:
                data = handle.read(max_file_size + 1)
    except OSError as exc:
        _fail(loaded, 1, 1, f"cannot read: {_os_reason(exc)}")
        return None, loaded
    if len(data) > max_file_size:
        _fail(loaded, 1, 1, f"input is over the limit of {max_file_size:,} bytes (--max-file-size)")
        return None, loaded
    text = decode(data, loaded)
    return text, loaded


def decode(data: bytes, loaded: LoadedFile) -> str | None:
    """Bytes to text the way Kubernetes' YAML reader accepts them: UTF-8 (with or
    without BOM) or UTF-16/32 with a BOM. NUL bytes mean a binary file."""
    encoding = "utf-8"
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            encoding = name
            break
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _line_col_of_byte(data, exc.start)
        _fail(loaded, line, column, f"not valid {encoding.upper().replace('-SIG', '')} "
              f"(byte 0x{data[exc.start]:02x} at offset {exc.start})")
        return None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col_of_offset(text, nul)
        _fail(loaded, line, column, "binary file: NUL character (not a text manifest)")
        return None
    return text


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", "replace")) + 1


def _line_col_of_offset(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _fail(loaded: LoadedFile, line: int, column: int, message: str, code=PARSE_ERROR) -> None:
    if code is PARSE_ERROR:
        loaded.parse_failed = True
    loaded.findings.append(Finding(Location(loaded.path, line, column), code[0], code[1],
                                   "error", message,
                                   hint="fix the file so that it is valid YAML or JSON"
                                   if code is PARSE_ERROR else None))


# ----------------------------------------------------------------------------- parsing

def load_source(source: Source, max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                pure: bool = False) -> LoadedFile:
    """Read, decode and parse one file into documents, directives and findings."""
    text, loaded = read_source(source, max_file_size)
    if text is None:
        return loaded
    return parse_text(text, loaded, pure=pure)


def parse_text(text: str, loaded: LoadedFile, pure: bool = False) -> LoadedFile:
    if loaded.path.lower().endswith(".json"):
        # Tabs are JSON whitespace but cannot start a YAML token; a raw tab cannot
        # appear inside a JSON string, so replacing them keeps every column.
        text = text.replace("\t", " ")
        if "\\u" in text:
            text = _json_surrogates(text)
    loaded.directives = scan_directives(text)
    if "# Source: " in text:
        from podlint.helm_source import scan
        loaded.helm = scan(text)
    too_deep = _nesting_too_deep(text) or _too_many_nodes(text)
    if too_deep is not None:
        _fail(loaded, *too_deep)
        return loaded
    offset_line = 0
    index = 0
    remaining = text
    while True:
        error = None
        try:
            for data in _compose_construct(remaining, pure):
                _add_document(loaded, index, data)
                index += 1
        except RecursionError:
            error = (offset_line + 1, 1, "nesting is too deep to read")
        except _DocumentProblem as problem:
            error = (problem.line, problem.column, problem.message)
        except Exception as exc:          # every YAMLError, and anything libyaml raises
            error = _describe_yaml_error(exc, remaining)
        if error is None:
            break
        line, column, message = error
        if "{{" in text and not loaded.documents:
            loaded.skipped = "Go template markers ({{ }}): render the chart first"
            loaded.findings.clear()
            loaded.directives = []
            return loaded
        _fail(loaded, line, column, message)
        # Go on with the document after the next '---' below the error.
        next_start = _next_document_start(text, max(line - 1, offset_line + 1))
        if next_start is None:
            break
        offset_line = next_start
        lines = text.split("\n")
        remaining = "\n" * next_start + "\n".join(lines[next_start:])
        index += 1
    _report_non_objects(loaded, text)
    return loaded


MAX_NESTING = 5000


def _nesting_too_deep(text: str) -> tuple[int, int, str] | None:
    """Position of a nesting deeper than MAX_NESTING levels, found before libyaml
    composes the text.

    libyaml's composer (C, in ruamel.yaml.clib) recurses once per level and past
    about 20,000 levels (`[[[[...`, `- - - ...`) overflows the C stack: a segfault
    that no `except` catches. Every level needs an opening bracket or about two
    characters of one line, so two counts clear almost every file; the rest (36 of
    the 3,181 corpus files) are measured with libyaml's event parser, which keeps
    its own stack and never recurses.
    """
    if len(text) <= MAX_NESTING:
        return None
    opens = text.count("[") + text.count("{")
    # (A regex for "a line of 1,250 characters" backtracks at every position:
    # 28 s on a 10 MB file of 1 KB lines; splitting is 0.08 s.)
    if opens <= MAX_NESTING // 2 and max(map(len, text.split("\n"))) < MAX_NESTING // 4:
        return None
    depth, mark = deepest_nesting(text, MAX_NESTING)
    if depth > MAX_NESTING:
        return (mark.line + 1, mark.column + 1,
                f"nesting is deeper than {MAX_NESTING:,} levels; file not read")
    return None


def deepest_nesting(text: str, limit: int) -> tuple[int, Any]:
    """(depth, mark) of the deepest collection of a YAML text, stopping as soon as
    it passes `limit`; (0, None) when the text does not parse (whoever composes it
    reports the syntax error where it is). libyaml's event parser keeps its own
    stack and never recurses, so this is safe on any nesting. Shared with the
    config reader."""
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


def _too_many_nodes(text: str) -> tuple[int, int, str] | None:
    """Position of the document where the file passes MAX_NODES nodes, found with
    libyaml's event parser before anything is composed.

    Composing and constructing cost about 500 bytes and 20 us per node: a 20 MiB
    file of `- a` lines (5 million nodes) would take gigabytes and minutes. A node
    needs at least two characters, so texts under 2 * MAX_NODES characters are
    never counted; real manifests average about 30 characters a node (20 MiB of
    them is about 700,000 nodes).
    """
    if len(text) <= 2 * MAX_NODES:
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.events import (AliasEvent, DocumentStartEvent, MappingStartEvent,
                                    ScalarEvent, SequenceStartEvent)

    counted = (ScalarEvent, SequenceStartEvent, MappingStartEvent, AliasEvent)
    nodes, start = 0, (1, 1)
    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, counted):
                nodes += 1
                if nodes > MAX_NODES:
                    return (*start, f"file holds more than {MAX_NODES:,} YAML nodes; not read "
                            "(podlint's memory bound, see docs/robustness.md)")
            elif isinstance(event, DocumentStartEvent):
                start = (event.start_mark.line + 1, event.start_mark.column + 1)
    except Exception:
        return None         # a syntax error: the normal path reports it where it is
    return None


def _depth_bound(text: str) -> int:
    """An upper bound on how deep any node of `text` nests. A flow level needs an
    opening bracket; a block level needs at least one character of indentation or
    a `- `/`? ` on the line of its node; so brackets plus the longest line bound it."""
    return text.count("[") + text.count("{") + max(map(len, text.split("\n")))


def _check_depth(root) -> None:
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
            raise _DocumentProblem(mark.line + 1, mark.column + 1,
                                   f"nesting is deeper than {MAX_DEPTH} levels; document not read")
        below: dict[int, Any] = {}
        for node in level:
            if type(node.value) is list:            # sequence or mapping (scalars hold str)
                for item in node.value:
                    for child in item if type(item) is tuple else (item,):
                        below[id(child)] = child
        level = list(below.values())
        depth += 1


def _report_non_objects(loaded: LoadedFile, text: str) -> None:
    """PL001 for a document that is a scalar or a list: kubectl cannot apply it.

    Only where it is plainly a manifest mistake: the file also holds Kubernetes
    objects (a stray line of text between two `---`), or the list's items are
    objects (a `kind: List` that lost its header). Other YAML that a pre-commit
    hook hands over (Ansible playbooks, JSON patches, plain values) has no
    apiVersion/kind and is skipped silently like any non-Kubernetes document.
    """
    odd = [doc for doc in loaded.documents
           if doc.item is None and doc.data is not None and not isinstance(doc.data, dict)]
    if not odd:
        return
    has_objects = any(_is_object(doc.data) for doc in loaded.documents)
    starts: list | None = None
    for doc in odd:
        if isinstance(doc.data, list):
            if not has_objects and not any(_is_object(item) for item in doc.data):
                continue
            what, (line, column) = "a list", (doc.line, doc.column)
        else:
            if not has_objects:
                continue
            what = "a string" if isinstance(doc.data, str) else f"a scalar ({_short(doc.data, 30)})"
            starts = _document_starts(text) if starts is None else starts
            line, column = starts[doc.index] if doc.index < len(starts) else (doc.line, doc.column)
        _fail(loaded, line, column, f"document {doc.index + 1} is {what}, not a Kubernetes "
              "object (a mapping with apiVersion and kind); kubectl cannot apply it")


def _is_object(data: Any) -> bool:
    return isinstance(data, dict) and "apiVersion" in data and "kind" in data


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


_DOC_START = re.compile(r"^---(\s|$)")
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


def _next_document_start(text: str, first: int) -> int | None:
    """0-based number of the first '---' line at or below 0-based line `first`."""
    for number, line in enumerate(text.split("\n")):
        if number >= first and _DOC_START.match(line):
            return number
    return None


class _DocumentProblem(Exception):
    """A document that parsed as YAML but cannot be used (alias bomb, duplicate key)."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


_PAIRS: dict[bool, tuple] = {}


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


def _yaml_pair(pure: bool):
    """(composer, constructor) YAML instances, reused across files of a process.

    A failed load can leave a constructor half-way through a document, so the
    pair is dropped after any exception (see `_forget_pair`)."""
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


def _forget_pair(pure: bool) -> None:
    _PAIRS.pop(pure, None)


def _compose_construct(text: str, pure: bool) -> Iterator[Any]:
    from ruamel.yaml.constructor import DuplicateKeyError

    fast, rt = _yaml_pair(pure)
    composer = rt.compose_all if fast is None else fast.compose_all
    check_aliases = "&" in text and "*" in text and (fast is None or _may_alias(text))
    check_tags = "!" in text
    check_depth = _depth_bound(text) > MAX_DEPTH
    try:
        for node in composer(text):
            if node is None:
                yield None
                continue
            if check_aliases:
                _check_expansion(node)
            if check_depth:
                _check_depth(node)
            try:
                data = rt.constructor.construct_document(node)
            except DuplicateKeyError:
                duplicate = _find_duplicate_key(node)
                if duplicate:
                    raise _DocumentProblem(*duplicate) from None
                raise
            if check_tags:
                _check_tags(node)
            yield data
    except BaseException:
        _forget_pair(pure)
        raise


_ANCHOR_NAME = re.compile(r"&([0-9A-Za-z_-]+)")
_ALIAS_NAME = re.compile(r"\*([0-9A-Za-z_-]+)")


def _may_alias(text: str) -> bool:
    """Can this text hold an alias? libyaml (the C composer) names anchors and
    aliases with [0-9A-Za-z_-]+ only, so a real alias shows as `*NAME` and its
    anchor as `&NAME` with the same NAME: when no name is written after both, no
    document of the text has an alias and the expansion walk is skipped. `&&` in
    shell commands and `*` in globs or RBAC rules put most files through the
    cheaper test only (corpus: 49 files hold both characters, 14 an alias). The
    pure loader accepts wider names, so it keeps the plain character test."""
    aliases = set(_ALIAS_NAME.findall(text))
    return bool(aliases) and not aliases.isdisjoint(_ANCHOR_NAME.findall(text))


def _check_expansion(root) -> None:
    """Count nodes as they would be after expanding every alias (billion laughs)."""
    sizes: dict[int, int] = {}
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children = _children(node)
        if not done:
            sizes[key] = -1        # in progress (recursive aliases resolve to 1)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(max(sizes.get(id(child), 1), 1) for child in children)
        sizes[key] = total
        if total > MAX_EXPANDED_NODES:
            mark = root.start_mark
            raise _DocumentProblem(mark.line + 1, mark.column + 1,
                                   f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes "
                                   "(YAML alias bomb); document not read")


def _children(node) -> list:
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
                                f'duplicate key "{_short(key_node.value)}" (first at line '
                                f'{one.line + 1}, column {one.column + 1}); Kubernetes rejects it')
                    first[key] = key_node
                stack.append(value_node)
                stack.append(key_node)
        else:
            stack.extend(_children(node))
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
                raise _DocumentProblem(mark.line + 1, mark.column + 1,
                                       f"YAML tag {_short(tag)} is not plain data: Kubernetes "
                                       "cannot read it (podlint never constructs tagged objects)")
        value = node.value
        if isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):
                    stack.extend(item)
                else:
                    stack.append(item)


def _short(value: Any, limit: int = 60) -> str:
    text = str(value)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe_yaml_error(exc: Exception, text: str) -> tuple[int, int, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif getattr(exc, "position", None) is not None:          # ReaderError
        line, column = _line_col_of_offset(text, int(exc.position))
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
    message = _short(message, 200)
    if "\t" in text.split("\n")[line - 1][:column] if 0 < line <= text.count("\n") + 1 else False:
        message += "; tabs cannot indent YAML, use spaces"
    line, column = _within(text, line, column)
    return line, column, f"invalid YAML: {message}"


_YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """libyaml marks an error found at the end of a file that lacks its last
    newline one line past the end; editors and annotations need a real line, so
    such a mark moves to the end of the last line (lines as libyaml counts them)."""
    lines = _YAML_BREAKS.split(text)
    if line > len(lines):
        return len(lines), len(lines[-1]) + 1
    return line, min(column, len(lines[line - 1]) + 1) if line >= 1 else column


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
