"""Renderers for `podlint explain`: text, json, mermaid, html.

Each format is its own module, imported only when asked for. A renderer gets
the explained workloads (podlint.explain.Explained) and the run's settings and
writes to a stream; it never decides the exit code. Shared helpers for times
live here so every format prints a bound the same way.
"""
from __future__ import annotations

import importlib
import math
from typing import TextIO

FORMATS = ("text", "json", "mermaid", "html")


def render(fmt: str, explained: list, settings, stream: TextIO, color: bool = False) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown explain format {fmt!r}")
    module = importlib.import_module(f"podlint.explain_render.{fmt}")
    module.render(explained, settings, stream, color=color)


def fmt_time(value: float | None, unbounded: str = "-") -> str:
    """A time for people: `-` (or `unbounded`) for None, integers without a
    decimal point, huge values in short scientific form."""
    if value is None:
        return unbounded
    try:
        value = float(value)
    except (TypeError, ValueError):
        return unbounded
    if not math.isfinite(value):
        return unbounded
    if abs(value) >= 1e7:
        return f"{value:.3g}"
    if value.is_integer():
        return str(int(value))
    return f"{value:.3f}".rstrip("0").rstrip(".")


def fmt_range(earliest: float, latest: float | None, unit: str = " s") -> str:
    """`5 s`, `5-10 s`, `5 s or later`."""
    if latest is None:
        return f"{fmt_time(earliest)}{unit} or later"
    if latest == earliest:
        return f"{fmt_time(earliest)}{unit}"
    return f"{fmt_time(earliest)}-{fmt_time(latest)}{unit}"
