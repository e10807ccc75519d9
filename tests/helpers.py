"""Shared test helpers: marker parsing and one-call linting."""
from __future__ import annotations

import re
from pathlib import Path

from podlint.config import Settings, settings_from_mapping
from podlint.registry import all_rules
from podlint.run import lint_text

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"\[((?:[A-Z]{2,4}\d{3})(?:\s*,\s*[A-Z]{2,4}\d{3})*)\]")


def expected_markers(text: str) -> list[tuple[int, str]]:
    """(line, code) pairs marked with `# [PL202]` (or `[PL202, PL301]`) in a manifest."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "#" not in line:
            continue
        comment = line[line.index("#"):]
        for match in MARKER.finditer(comment):
            out.extend((number, code.strip()) for code in match.group(1).split(","))
    return sorted(out)


def settings_for(code: str, config: dict | None = None) -> Settings:
    raw = dict(config or {})
    raw["select"] = [code]
    return settings_from_mapping(raw, all_rules())


def lint_only(code: str, text: str, config: dict | None = None, path: str = "example.yaml"):
    return lint_text(text, settings_for(code, config), path)


def found_markers(code: str, text: str, config: dict | None = None) -> list[tuple[int, str]]:
    """(line, code) of the findings of `code` (PL000 too: a crash must fail the test)."""
    return sorted((f.location.line, f.code) for f in lint_only(code, text, config)
                  if f.code in (code, "PL000"))
