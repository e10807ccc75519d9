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
from bisect import bisect_right
from dataclasses import replace
from typing import Any, Iterable

from podlint.finding import Finding

VERSION = "1"           # part of the hash: bump when the recipe changes
DIGEST_LENGTH = 20      # hex characters: 80 bits, far from collisions at any repo's size
_MAX_DEPTH = 1_000      # bounded descent (the loader refuses deeper documents)


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


def field_path(data: Any, line: int, column: int) -> str:
    """Dotted path of the node at (line, column), 1-based, in a loaded document.

    The deepest node starting at or before the position: an exact hit on a key
    or a value wins, otherwise the nearest node before it ("" is the object
    itself, before its first key). Siblings follow each other in the text, so
    the answer lies under the last sibling that starts at or before the
    position; one descent finds it, where walking the whole document per
    finding cost a 20 MB bundle a fifth of its time."""
    target = (line - 1, column - 1)          # .lc positions are 0-based
    best: tuple[tuple[int, int], int] = ((-1, -1), -1)      # (position, depth)
    best_path = ""
    node, path, depth = data, "", 0
    while depth < _MAX_DEPTH:
        positions = getattr(getattr(node, "lc", None), "data", None)
        if not positions:
            break
        inside = None
        if isinstance(node, dict):
            for key, value in node.items():
                where = positions.get(key)
                if where is None:               # a merged (<<) key has no place of its own
                    continue
                key_at, value_at = (where[0], where[1]), (where[2], where[3])
                if key_at > target:
                    break
                child = f"{path}.{key}" if path else str(key)
                candidate = (value_at if value_at <= target else key_at, depth + 1)
                if candidate > best:
                    best, best_path = candidate, child
                inside = (value, child)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                where = positions.get(index)
                if where is None:
                    continue
                item_at = (where[0], where[1])
                if item_at > target:
                    break
                child = f"{path}{_segment(value, index)}"
                if (item_at, depth + 1) > best:
                    best, best_path = (item_at, depth + 1), child
                inside = (value, child)
        if inside is None:
            break
        (node, path), depth = inside, depth + 1
    return best_path


def _document_for(documents: list, starts: list[int], line: int):
    """The document whose start is the last one at or before `line`."""
    index = bisect_right(starts, line)
    return documents[index - 1] if index else None


def stamp(findings: Iterable[Finding], documents: list) -> list[Finding]:
    """Each finding with `fingerprint` and `field_path` filled in (kept if set)."""
    from podlint.workloads import object_identity

    ordered = sorted(documents, key=lambda d: (d.line, d.column))
    starts = [document.line for document in ordered]
    paths_cache: dict[tuple[int, int, int], str] = {}
    out = []
    for finding in findings:
        if finding.fingerprint is not None:
            out.append(finding)
            continue
        document = _document_for(ordered, starts, finding.location.line) if finding.code != "PL001" else None
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
