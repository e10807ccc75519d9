"""The one object a rule receives: the document, its workload and pod, and
lazily the lifecycle graph and timeline, with the run's settings.

Graph and timeline are built on first use and shared by every rule that looks
at the same pod, so a rule that never asks never pays (networkx is only imported
when some rule, or `explain`/`graph`, asks for the graph).
"""
from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from podlint.config import Settings
from podlint.finding import Condition, Finding, Location

if TYPE_CHECKING:
    from podlint.loader import Document
    from podlint.model import Container, Pod
    from podlint.registry import RuleSpec
    from podlint.workloads import Workload


class Context:
    rule: "RuleSpec"

    def __init__(self, settings: Settings, document: "Document", workload: "Workload | None" = None,
                 pod: "Pod | None" = None):
        self.settings = settings
        self.document = document
        self.workload = workload
        self.pod = pod
        self.path = document.path

    # ------------------------------------------------------------------ identity
    @property
    def data(self) -> Any:
        """The raw object (a CommentedMap) of the document."""
        return self.document.data

    @property
    def kubernetes_version(self) -> tuple[int, int]:
        return self.settings.kubernetes_version

    @property
    def options(self) -> dict[str, Any]:
        """This rule's options: defaults overridden by the config file."""
        merged = self.rule.option_defaults()
        merged.update(self.settings.rule_options.get(self.rule.code, {}))
        return merged

    @property
    def object_ref(self) -> str | None:
        if self.workload is not None:
            return self.workload.ref
        data = self.document.data
        if isinstance(data, dict) and isinstance(data.get("kind"), str):
            metadata = data.get("metadata")
            name = metadata.get("name") if isinstance(metadata, dict) else None
            return f"{data['kind']}/{name if isinstance(name, str) else '<unnamed>'}"
        return None

    # ------------------------------------------------------------------ derived views
    @cached_property
    def assumptions(self):
        """Timing assumptions in force for this pod (CLI > annotation > config)."""
        from podlint.assumptions import resolve_assumptions

        return resolve_assumptions(self.settings, self.workload)

    @cached_property
    def timeline(self):
        from podlint.timeline import build_timeline

        return build_timeline(self.pod, self.assumptions, self.settings.kubernetes_version)

    @cached_property
    def graph(self):
        from podlint.graph import build_graph

        return build_graph(self.pod)

    # ------------------------------------------------------------------ helpers for rules
    def serving(self, container: "Container") -> bool | Condition:
        """Does this container receive traffic? (design.md, "Serving")

        True when it declares a containerPort. A main container of a pod where no
        container declares a port serves when a Service among the linted documents
        selects the pod: that is only known at the end of the run, so the answer
        is a Condition to pass as `when=` (truthy). Init containers never serve;
        sidecars serve only when they declare ports.
        """
        if container.role == "init":
            return False
        if container.ports:
            return True
        if container.role == "sidecar" or self.pod is None:
            return False
        if any(c.ports for c in self.pod.all_containers):
            return False
        if not self.pod.labels:
            return False
        return Condition("served", self.pod.namespace, tuple(sorted(self.pod.labels.items())))

    def undefined(self, kind: str, name: str) -> Condition:
        """A Condition that holds when no linted document defines kind/name."""
        namespace = self.pod.namespace if self.pod is not None else None
        return Condition("undefined", namespace, ref_kind=kind, ref_name=name)

    def finding(self, location: Location, message: str, *, container: str | None = None,
                hint: str | None = None, when: Any = None, severity: str | None = None) -> Finding:
        """A Finding stamped with this rule's code, name, severity and workload."""
        condition = when if isinstance(when, Condition) else None
        return Finding(location, self.rule.code, self.rule.name, severity or self.rule.severity,
                       message, self.object_ref, container, hint, condition)
