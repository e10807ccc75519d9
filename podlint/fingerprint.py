"""A finding's identity that survives moved lines and reordered documents.

Baselines (`--baseline`), `podlint diff` (findings introduced and fixed), SARIF
`partialFingerprints` and `podlint fix` all need to say "the same problem as
before" without trusting line numbers. The identity is

    code + kind/namespace/name of the object + container + field path

where the field path is the structural address of the YAML node the finding
points at, e.g. `spec.template.spec.containers[name=app].livenessProbe`. Items
of lists whose entries carry a `name` (containers, volumes, env, ports...) are
addressed by that name, so inserting a container before `app` does not change
`app`'s findings; other list items by index. File paths and line numbers are not
part of it: moving a manifest to another folder or another position in a stream
keeps its findings' identity. Two findings with the same identity (rare: the
same rule twice on one node) are told apart by counting, the way SARIF's `:N`
suffix does.

Pure functions of the loaded document; the engine stamps every finding before
it leaves the worker, so nothing downstream needs the document again.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any, Iterable

from podlint.finding import Finding

VERSION = "1"           # part of the hash: bump when the recipe changes
DIGEST_LENGTH = 20      # hex characters: 80 bits, far from collisions at any repo's size
_MAX_NODES = 200_000    # bounded walk: a finding's path is never worth more


def fingerprint(code: str, kind: str | None, namespace: str | None, name: str | None,
                container: str | None, field_path: str, fallback: str = "") -> str:
    """Hex digest of the identity. `fallback` (a path and message) stands in for
    findings outside any object (PL001 on an unparsable file)."""
    parts = (VERSION, code, kind or "", namespace or "", name or "", container or "",
             field_path, fallback)
    key = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()[:DIGEST_LENGTH]


def _segment(item: Any, index: int) -> str:
    if isinstance(item, dict):
        name = item.get("name")
        if isinstance(name, str) and name:
            return f"[name={name}]"
    return f"[{index}]"


def _pos(lc, which: str, key) -> tuple[int, int] | None:
    try:
        line, column = getattr(lc, which)(key)
    except Exception:
        return None
    if line is None or column is None:
        return None
    return line + 1, column + 1


def field_path(data: Any, line: int, column: int) -> str:
    """Dotted path of the node at (line, column), 1-based, in a loaded document.

    Exact hits on a key or a value win; otherwise the deepest node starting at or
    before the position on the same line, else the last node before it. "" is the
    object itself (its first key)."""
    best: tuple[tuple[int, int], int, str] | None = None    # (position, depth, path)
    target = (line, column)
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    seen = 0
    while stack and seen < _MAX_NODES:
        node, path, depth = stack.pop()
        seen += 1
        lc = getattr(node, "lc", None)
        if lc is None:
            continue
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{path}.{key}" if path else str(key)
                for where in (_pos(lc, "key", key), _pos(lc, "value", key)):
                    if where is None or where > target:
                        continue
                    candidate = (where, depth + 1, child)
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
                if hasattr(value, "lc"):
                    stack.append((value, child, depth + 1))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                child = f"{path}{_segment(value, index)}"
                where = _pos(lc, "item", index)
                if where is not None and where <= target:
                    candidate = (where, depth + 1, child)
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
                if hasattr(value, "lc"):
                    stack.append((value, child, depth + 1))
    if best is None:
        return ""
    return best[2]


def _document_for(documents: list, line: int):
    """The document whose start is the last one at or before `line`."""
    chosen = None
    for document in documents:
        if document.line <= line:
            chosen = document
        else:
            break
    return chosen


def stamp(findings: Iterable[Finding], documents: list) -> list[Finding]:
    """Each finding with `fingerprint` and `field_path` filled in (kept if set)."""
    from podlint.workloads import object_identity

    ordered = sorted(documents, key=lambda d: (d.line, d.column))
    paths_cache: dict[tuple[int, int, int], str] = {}
    out = []
    for finding in findings:
        if finding.fingerprint is not None:
            out.append(finding)
            continue
        document = _document_for(ordered, finding.location.line) if finding.code != "PL001" else None
        identity = object_identity(document.data) if document is not None else None
        if identity is None:
            digest = fingerprint(finding.code, None, None, None, finding.container, "",
                                 f"{finding.location.path}\0{finding.message}")
            out.append(replace(finding, fingerprint=digest, field_path=None))
            continue
        _, kind, name, namespace = identity
        key = (id(document), finding.location.line, finding.location.column)
        path = paths_cache.get(key)
        if path is None:
            path = paths_cache[key] = field_path(document.data, finding.location.line,
                                                 finding.location.column)
        digest = fingerprint(finding.code, kind, namespace, name, finding.container, path)
        out.append(replace(finding, fingerprint=digest, field_path=path))
    return out


def count_keys(findings: Iterable[Finding]) -> list[tuple[str, int]]:
    """(fingerprint, occurrence) per finding, in order: the Nth finding with the
    same fingerprint gets occurrence N (1-based)."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        fp = finding.fingerprint or ""
        seen[fp] = seen.get(fp, 0) + 1
        out.append((fp, seen[fp]))
    return out
