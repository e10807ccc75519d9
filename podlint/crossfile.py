"""Facts that need the whole run, kept as small summaries instead of documents.

Each worker returns, per file, the Services' selectors and the identities of the
objects it saw; conditional findings (see finding.Condition) are settled here
once every file is in. Nothing holds every parsed document of a run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podlint.finding import Condition, Finding


@dataclass
class Summary:
    services: list[tuple[str | None, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    defined: set[tuple[str, str | None, str]] = field(default_factory=set)

    def add_object(self, kind: str, name: str | None, namespace: str | None, data: Any) -> None:
        if name:
            self.defined.add((kind, namespace, name))
        if kind == "Service":
            spec = data.get("spec") if isinstance(data, dict) else None
            selector = spec.get("selector") if isinstance(spec, dict) else None
            if isinstance(selector, dict) and selector:
                items = tuple(sorted((str(k), str(v)) for k, v in selector.items()))
                self.services.append((namespace, items))

    def merge(self, other: "Summary") -> None:
        self.services.extend(other.services)
        self.defined |= other.defined
        self._index = None
        self._selectors = None

    # lookup tables built on first use and dropped by merge(): not part of the data
    _index: dict | None = field(default=None, init=False, repr=False, compare=False)
    _selectors: dict | None = field(default=None, init=False, repr=False, compare=False)

    def services_selecting(self, labels: dict) -> list[tuple[str | None, tuple[tuple[str, str], ...]]]:
        """The Services that may select a pod with these labels: those whose first
        selector item is one of the labels (a selector matches only if all its
        items do). Settling went from every condition times every Service (1.1 s
        of CPU on the corpus) to a dictionary lookup per label."""
        if self._selectors is None:
            self._selectors = {}
            for service in self.services:
                self._selectors.setdefault(service[1][0], []).append(service)
        found = []
        for item in labels.items():
            found.extend(self._selectors.get(item, ()))
        return found

    def namespaces_of(self, kind: str, name: str) -> list[str | None]:
        if self._index is None:
            self._index = {}
            for k, namespace, n in self.defined:
                self._index.setdefault((k, n), []).append(namespace)
        return self._index.get((kind, name), [])


def _same_namespace(a: str | None, b: str | None) -> bool:
    # An object without a namespace lands wherever it is applied: match either way.
    return a is None or b is None or a == b


def holds(condition: Condition, summary: Summary) -> bool:
    if condition.kind == "served":
        labels = dict(condition.labels)
        return any(_same_namespace(namespace, condition.namespace)
                   and all(labels.get(k) == v for k, v in selector)
                   for namespace, selector in summary.services_selecting(labels))
    if condition.kind == "undefined":
        namespaces = summary.namespaces_of(condition.ref_kind, condition.ref_name)
        return not any(_same_namespace(ns, condition.namespace) for ns in namespaces)
    return True


def settle(findings: list[Finding], summary: Summary) -> list[Finding]:
    """Keep unconditional findings and conditional ones whose condition holds."""
    kept = []
    for finding in findings:
        if finding.condition is None or holds(finding.condition, summary):
            kept.append(finding)
    return kept
