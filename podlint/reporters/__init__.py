"""Reporters format a finished run; they never filter and never pick the exit code.

Each format is its own module, imported only when asked for.
"""
from __future__ import annotations

import importlib
import re
from typing import TextIO

LINT_FORMATS = ("text", "json", "sarif", "github", "junit")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-?]*[ -/]*[@-~]")


def render(name: str, result, out: TextIO, color: bool = False) -> None:
    if name not in LINT_FORMATS:
        raise ValueError(f"unknown format {name!r}")
    module = importlib.import_module(f"podlint.reporters.{name}")
    module.render(result, out, color=color)


def printable(text: object) -> str:
    """Untrusted text made safe for a terminal: control characters and escape
    sequences shown as visible escapes, so a manifest cannot rewrite the screen."""
    value = str(text)
    if value.isprintable():
        return value
    out = []
    for ch in value:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) > 0xff else f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)
