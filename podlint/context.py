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
    def rollout(self):
        """How the controller replaces every pod (podlint.rollout), None for kinds
        without a rollout. A DaemonSet's node count comes from `--assume nodes=N`."""
        from podlint.rollout import rollout_for

        if self.pod is None:
            return None
        return rollout_for(self.workload, self.timeline, self.assumptions.nodes)

    @cached_property
    def graph(self):
        from podlint.graph import build_graph

        return build_graph(self.pod)

    # ------------------------------------------------------------------ helpers for rules
    def routed(self, container: "Container", readiness: bool = False) -> Condition | None:
        """A Condition (pass it as `when=`) that holds when a Service in the pod's
        application scope sends traffic to this container (design.md, "Serving";
        podlint.crossfile.PodFacts.routed says which ports reach which container).
        Its message names the Services where it says `RELATED`. `readiness`: only
        Services whose endpoints wait for readiness (not publishNotReadyAddresses).
        None for init containers, which never serve."""
        if container.role == "init" or self.pod is None:
            return None
        from podlint.crossfile import object_key

        return Condition("routed", self.pod.namespace, path=self.path,
                         key=object_key(self.document), detail=container.name,
                         readiness=readiness)

    def serving(self, container: "Container") -> bool | Condition:
        """Does this container receive traffic? True when it declares a
        containerPort, else (main containers) whether a Service in scope routes
        to it, known only at the end of the run: a Condition to pass as `when=`."""
        if container.role == "init":
            return False
        if container.ports:
            return True
        if container.role == "sidecar":
            return False
        return self.routed(container) or False

    def undefined(self, kind: str, name: str) -> Condition:
        """A Condition that holds when no object kind/name is defined (or generated
        by a kustomization) in the application scope of this object."""
        if self.pod is not None:
            namespace = self.pod.namespace
        else:
            metadata = self.data.get("metadata") if isinstance(self.data, dict) else None
            namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
            namespace = namespace if isinstance(namespace, str) else None
        return Condition("undefined", namespace, ref_kind=kind, ref_name=name, path=self.path)

    def unresolved_target(self, port_index: int) -> Condition:
        """For a Service document: a Condition that holds when the pods it selects
        in its scope are known and none declares the named targetPort of its
        port number `port_index` (RELATED names those pods)."""
        from podlint.crossfile import object_key

        return Condition("unresolved-target", path=self.path, key=object_key(self.document),
                         detail=str(port_index))

    def related(self, kind: str, detail: str = "") -> Condition:
        """A Condition on this object that the run settles once every file is in:
        kind "served" (a Service in scope sends this workload traffic), "autoscaled"
        (a HorizontalPodAutoscaler in scope targets it), "budget" (this
        PodDisruptionBudget allows no eviction; detail "full" or "minimum"). The
        message may say RELATED where the objects it rests on are to be named."""
        from podlint.crossfile import object_key

        return Condition(kind, path=self.path, key=object_key(self.document), detail=detail)

    def finding(self, location: Location, message: str, *, container: str | None = None,
                hint: str | None = None, when: Any = None, severity: str | None = None) -> Finding:
        """A Finding stamped with this rule's code, name, severity and workload."""
        condition = when if isinstance(when, Condition) else None
        return Finding(location, self.rule.code, self.rule.name, severity or self.rule.severity,
                       message, self.object_ref, container, hint, condition)
