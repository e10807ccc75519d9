"""Locations and findings: the plain data every stage after the loader speaks.

A finding is data, not an exception, so it pickles across `--jobs` workers and
sorts deterministically (path, line, column, code, message).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    """info < warning < error; unknown strings rank as info."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        return 0


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int       # 1-based; ruamel is 0-based and the loader converts once
    column: int     # 1-based


@dataclass(frozen=True)
class Condition:
    """A finding that holds only if something elsewhere in the run is true.

    Workers lint one file at a time, but two facts need the whole run: whether a
    Service among the linted documents selects a pod (it then serves traffic), and
    whether a referenced ConfigMap/Secret/PVC/ServiceAccount is defined somewhere.
    A rule attaches a Condition; the run resolves it once every file's summary is
    in (see podlint.crossfile). `kind` is "served" or "undefined".
    """
    kind: str                       # "served" | "undefined"
    namespace: str | None
    labels: tuple[tuple[str, str], ...] = ()    # served: the pod's labels
    ref_kind: str = ""                          # undefined: the object referenced
    ref_name: str = ""


@dataclass(frozen=True, order=True)
class Finding:
    location: Location
    code: str                       # "PL202"
    name: str                       # "missing-liveness-probe"
    severity: str                   # "error" | "warning" | "info"
    message: str
    workload: str | None = None     # "Deployment/web"
    container: str | None = None
    hint: str | None = None
    condition: Condition | None = field(default=None, compare=False)

    def with_severity(self, severity: str) -> "Finding":
        return replace(self, severity=severity)

    def to_dict(self) -> dict:
        """The JSON shape of design.md section 5 (keys in a fixed order)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "workload": self.workload,
            "container": self.container,
            "hint": self.hint,
        }
