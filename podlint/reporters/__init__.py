"""Reporters format a finished run; they never filter and never pick the exit code.

Each format is its own module, imported only when asked for, exposing
`render(result, out, color=False)` where `result` is a `podlint.run.RunResult`.

Everything a finding carries (names, messages, paths) may come from a stranger's
manifest, so the helpers here are the one place that makes untrusted text safe:
`printable()` for terminals and CI logs, `dump_json()` for JSON documents. The
machine formats (json, sarif, junit) are written as pure ASCII, so their bytes do
not depend on the locale or the stream's encoding and can never fail to encode.
"""
from __future__ import annotations

import importlib
import json as _json     # not `json`: importing the submodule podlint.reporters.json rebinds that name
from typing import Callable, TextIO

LINT_FORMATS = ("text", "json", "sarif", "github", "junit")


def render(name: str, result, out: TextIO, color: bool = False) -> None:
    if name not in LINT_FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = importlib.import_module(f"podlint.reporters.{name}")
    module.render(result, out, color=color)


def printable(text: object) -> str:
    """Untrusted text made safe for a terminal or a CI log.

    Control characters (C0, DEL, C1), escape sequences, line and paragraph
    separators, bidi overrides, lone surrogates (from undecodable file names) and
    every other non-printable code point become visible escapes (`\\x1b`, `\\n`,
    `\\u202e`), so a manifest can neither rewrite the screen nor start a new line.
    """
    value = str(text)
    if value.isprintable():
        return value
    out = []
    for ch in value:
        if ch.isprintable():
            out.append(ch)
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) <= 0xff:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def subject(finding) -> str:
    """`Kind/name/container`, `Kind/name` or the container alone (raw, unescaped)."""
    workload, container = finding.workload or "", finding.container or ""
    if workload and container:
        return f"{workload}/{container}"
    return workload or container


def writer(out: TextIO) -> Callable[[str], None]:
    """`out.write` that cannot fail on a stream whose encoding lacks a character
    (a cp1252 console, PYTHONIOENCODING=ascii): such characters are written as
    backslash escapes instead of raising UnicodeEncodeError mid-report."""
    encoding = getattr(out, "encoding", None) or "utf-8"

    def write(text: str) -> None:
        try:
            out.write(text)
        except UnicodeEncodeError:
            out.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))

    return write


def dump_json(document: object, out: TextIO) -> None:
    """Indented, ASCII-only JSON (non-ASCII and control characters as \\u escapes;
    a lone surrogate becomes a `\\udcff` escape, which JSON parsers accept)."""
    out.write(_json.dumps(document, indent=2, ensure_ascii=True))
    out.write("\n")
