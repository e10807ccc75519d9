"""One JSON object: `{"podlint_version", "findings": [...], "summary": {...}}`.

Each finding has exactly the keys `code, name, severity, message, path, line,
column, workload, container, hint` (design.md section 5) and `fingerprint` (the
line-independent identity of podlint.fingerprint), null where unknown,
in the run's sorted order. The output is ASCII-only (see `dump_json`): control
characters, non-ASCII text and undecodable file names arrive as `\\u` escapes,
so the document is valid and byte-identical whatever the locale.
"""
from __future__ import annotations

from typing import TextIO

from podlint import __version__
from podlint.reporters import dump_json


def document(result) -> dict:
    doc = {
        "podlint_version": __version__,
        "findings": [finding.to_dict() for finding in result.findings],
        "summary": result.summary.to_dict(),
    }
    outcome = getattr(result, "baseline", None)
    if outcome is not None:
        doc["baseline"] = outcome.to_dict()
    return doc


def render(result, out: TextIO, color: bool = False) -> None:
    dump_json(document(result), out)
