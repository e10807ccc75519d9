"""SARIF 2.1.0, shaped for GitHub code scanning (libraries.md section 5.1).

One run. `tool.driver.rules` is the whole catalogue in force (not only the rules
that fired), so a viewer can explain any code; each descriptor carries the rule's
docstring as help (text and Markdown), a short and a full description cut to
GitHub's 1,024 characters, and the default level (after config overrides).

Each result has `ruleId` + `ruleIndex`, `level`, `message.text` and one location:
an artifact URI relative to the working directory (forward slashes, characters
that a URI may not hold percent-encoded, an absolute `file://` URI for files
outside it), and a region with `startLine`/`startColumn` (columns count Unicode
code points, as `columnKind` says). `partialFingerprints.primaryLocationLineHash`
is the finding's fingerprint (podlint.fingerprint: rule id + kind/namespace/name
+ container + field path), plus `:N` for the Nth identical result in a file: it
does not change when lines move, so GitHub keeps one alert per problem across
pushes. The bare fingerprint is also given as `podlint/v1`, the key baselines
and `podlint diff` match on.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from podlint import __version__
from podlint.reporters import dump_json, subject

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
CATEGORIES = {"PL0": "input", "PL1": "startup", "PL2": "probes", "PL3": "shutdown",
              "PL4": "termination-message", "PL5": "volumes"}
MAX_DESCRIPTION = 1024          # GitHub: shortDescription and fullDescription
MAX_NAME = 255                  # GitHub: reportingDescriptor.name
STDIN_NAME = "<stdin>"
# Characters kept as they are in a relative reference's path (RFC 3986 pchar,
# minus ":" which would make the first segment look like a scheme).
_URI_SAFE = "/!$&'()*+,;=@"
_LINE_NUMBERS = re.compile(r"\b(lines?|columns?|col)\s+\d+")


# ----------------------------------------------------------------------------- rules

def _section(doc: str, heading: str) -> str:
    start = doc.find(heading)
    if start < 0:
        return ""
    start += len(heading)
    end = doc.find("\n## ", start)
    return doc[start: end if end >= 0 else len(doc)].strip()


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "\u2026"


def _descriptor(spec, level: str) -> dict:
    doc = (getattr(spec, "doc", "") or "").strip()
    summary = _clip(getattr(spec, "summary", "") or spec.name, MAX_DESCRIPTION) or spec.code
    full = _clip(_section(doc, "## What it does"), MAX_DESCRIPTION) or summary
    tags = ["podlint"] + ([CATEGORIES[spec.code[:3]]] if spec.code[:3] in CATEGORIES else [])
    descriptor = {
        "id": spec.code,
        "name": _clip(spec.name, MAX_NAME),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": doc or summary, "markdown": doc or summary},
        "defaultConfiguration": {"level": LEVELS.get(level, "warning")},
        "properties": {"tags": tags,
                       "problem.severity": PROBLEM_SEVERITY.get(level, "warning")},
    }
    return descriptor


def _rules(result) -> list:
    """The rules in force, plus any code a finding carries that is not among them
    (an always-on PL000/PL001, or a rule pack's code), sorted by code."""
    specs = {spec.code: spec for spec in result.rules}
    missing = sorted({f.code for f in result.findings} - set(specs))
    if missing:
        try:
            from podlint.registry import rule_index
            index = rule_index()
        except Exception:           # a broken rule pack must not stop the report
            index = {}
        for code in missing:
            specs[code] = index.get(code) or _Unknown(code, next(
                f.name for f in result.findings if f.code == code))
    return [specs[code] for code in sorted(specs)]


class _Unknown:
    """A descriptor for a code the registry does not know (keeps ruleIndex valid)."""
    def __init__(self, code: str, name: str):
        self.code, self.name, self.severity = code, name or code, "warning"
        self.doc, self.summary = "", name or code


# ----------------------------------------------------------------------------- locations

def artifact_uri(path: str, cwd: str | None = None) -> str:
    """A file path as a SARIF artifact URI: relative paths stay relative (forward
    slashes, percent-encoded); absolute ones are made relative to `cwd` when they
    lie under it, else become `file://` URIs. Undecodable bytes in a file name
    (surrogate escapes) are encoded as the original bytes."""
    if os.path.isabs(path):
        if cwd:
            try:
                relative = os.path.relpath(path, cwd)
            except ValueError:          # another drive on Windows
                relative = None
            if relative and relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return artifact_uri(relative)
        return Path(path).as_uri()
    path = os.path.normpath(path)
    if os.altsep:
        path = path.replace(os.altsep, "/")
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    return quote(os.fsencode(path), safe=_URI_SAFE)


def _location(finding, uri: str) -> dict:
    loc = finding.location
    physical = {"artifactLocation": {"uri": uri},
                "region": {"startLine": max(1, int(loc.line)), "startColumn": max(1, int(loc.column))}}
    if loc.path == STDIN_NAME:
        physical["artifactLocation"]["description"] = {"text": "standard input"}
    location: dict = {"physicalLocation": physical}
    who = subject(finding)
    if who:
        location["logicalLocations"] = [{"fullyQualifiedName": who, "kind": "object"}]
    return location


def fingerprint(finding) -> str:
    """Stable across line shifts: the finding's own fingerprint, or for a finding
    made without one (a hand-built RunResult) rule id, workload, container and the
    message with line numbers masked."""
    if getattr(finding, "fingerprint", None):
        return finding.fingerprint
    message = _LINE_NUMBERS.sub(lambda m: f"{m.group(1)} N", finding.message)
    key = "\0".join((finding.code, finding.workload or "", finding.container or "", message))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _partial(finding, digest: str, occurrence: int) -> dict:
    partial = {"primaryLocationLineHash": f"{digest}:{occurrence}"}
    if getattr(finding, "fingerprint", None):
        partial["podlint/v1"] = finding.fingerprint
    return partial


# ----------------------------------------------------------------------------- the log

def document(result, cwd: str | None = None) -> dict:
    if cwd is None:
        try:
            cwd = os.getcwd()
        except OSError:
            cwd = None
    overrides = getattr(result.settings, "severity", None) or {}
    rules = _rules(result)
    index = {spec.code: i for i, spec in enumerate(rules)}
    seen: dict[tuple[str, str], int] = {}
    uris: dict[str, str] = {}
    results = []
    for finding in result.findings:
        path = finding.location.path
        uri = uris.get(path) or uris.setdefault(path, artifact_uri(path, cwd))
        digest = fingerprint(finding)
        seen[(uri, digest)] = occurrence = seen.get((uri, digest), 0) + 1
        entry = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": finding.message or finding.name or finding.code},
            "locations": [_location(finding, uri)],
            "partialFingerprints": _partial(finding, digest, occurrence),
        }
        properties = {k: v for k, v in (("workload", finding.workload),
                                        ("container", finding.container),
                                        ("hint", finding.hint)) if v}
        if properties:
            entry["properties"] = properties
        results.append(entry)
    driver = {
        "name": "podlint",
        "semanticVersion": __version__,
        "rules": [_descriptor(spec, overrides.get(spec.code, spec.severity)) for spec in rules],
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"summary": result.summary.to_dict()},
        }],
    }


def render(result, out: TextIO, color: bool = False) -> None:
    dump_json(document(result), out)
