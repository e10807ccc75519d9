"""Which files a run reads, and their text: discovery, reading and decoding.

The only module that touches the disk for manifests. Paths become `Source`s
(sorted, de-duplicated, symlink loops reported), and a source becomes text the
way Kubernetes' YAML reader accepts bytes, or a reason it cannot (returned as a
`Problem`, which the loader turns into PL001). Nothing here knows YAML.
"""
from __future__ import annotations

import codecs
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024      # 20 MiB; the largest corpus file is 2 MB
STDIN = "-"
STDIN_NAME = "<stdin>"


class Problem(NamedTuple):
    """Why a file (or document) cannot be read: 1-based position and message."""
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Source:
    """A path to read, or a reason it cannot be read (reported as PL001)."""
    path: str
    error: str | None = None


# ----------------------------------------------------------------------------- paths

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

def read_text(source: Source, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> str | Problem:
    """The decoded text of one source, or why it cannot be read."""
    if source.error:
        return Problem(1, 1, f"cannot read: {source.error}")
    max_file_size = min(max_file_size, sys.maxsize - 1)     # read(n + 1) overflows past that
    try:
        if source.path == STDIN_NAME:
            data = sys.stdin.buffer.read(max_file_size + 1)
        else:
            info = os.stat(source.path)
            if stat.S_ISDIR(info.st_mode):
                return Problem(1, 1, "cannot read: is a directory")
            if not stat.S_ISREG(info.st_mode):
                return Problem(1, 1, "cannot read: not a regular file (FIFO, socket or device)")
            if info.st_size > max_file_size:
                return Problem(1, 1, f"file is {info.st_size:,} bytes, over the limit of "
                               f"{max_file_size:,} (--max-file-size)")
            with open(source.path, "rb") as handle:
                data = handle.read(max_file_size + 1)
    except OSError as exc:
        return Problem(1, 1, f"cannot read: {_os_reason(exc)}")
    if len(data) > max_file_size:
        return Problem(1, 1, f"input is over the limit of {max_file_size:,} bytes (--max-file-size)")
    return decode(data)


def decode(data: bytes) -> str | Problem:
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
        return Problem(line, column, f"not valid {encoding.upper().replace('-SIG', '')} "
                       f"(byte 0x{data[exc.start]:02x} at offset {exc.start})")
    nul = text.find("\x00")
    if nul >= 0:
        line, column = line_col_of_offset(text, nul)
        return Problem(line, column, "binary file: NUL character (not a text manifest)")
    return text


def _line_col_of_byte(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    return line, len(before[start:].decode("utf-8", "replace")) + 1


def line_col_of_offset(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
