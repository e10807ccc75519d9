"""The shape of `podlint explain -f json` (design.md sections 4 and 7), built
here, below every renderer and the command, so that the json renderer, the html
page and later layers (a rollout model) share one definition:
`{"podlint_version", "kubernetes_version", "workloads": [{"kind", "name",
"namespace", "path", "line", "startup", "shutdown", "ready", "rollout",
"assumptions", "findings"}]}`, keys in that order. `rollout` (design.md 8) is
null for kinds the controllers do not roll (Pod, Job, ...); `disruption` (the
PodDisruptionBudgets and HorizontalPodAutoscalers in the workload's scope) with it. `ready` is `{"earliest", "latest", "never"}`:
`never` is true when a probe can never succeed (both bounds are then null).
"""
from __future__ import annotations

from podlint import __version__
from podlint.config import format_version

DOCUMENT_KEYS = ("podlint_version", "kubernetes_version", "workloads")
WORKLOAD_KEYS = ("kind", "name", "namespace", "path", "line", "startup", "shutdown", "ready",
                 "rollout", "disruption", "assumptions", "findings")
DISRUPTION_KEYS = ("budgets", "autoscalers", "allowed_disruptions", "allowed_at_hpa_minimum",
                   "drain_can_evict")
ROLLOUT_KEYS = ("strategy", "replicas", "max_surge", "max_unavailable", "max_pods", "min_available",
                "waves", "pod_ready", "pod_stop", "duration_earliest", "duration_latest",
                "progress_deadline", "steps", "stall", "notes")
READY_KEYS = ("earliest", "latest", "never")


def ready_document(timeline) -> dict:
    """The pod's readiness: its bounds, or nulls and `never: true`."""
    never = bool(getattr(timeline, "never_ready", None))
    if never:
        return {"earliest": None, "latest": None, "never": True}
    return {**timeline.ready.to_dict(), "never": False}


def workload_document(item) -> dict:
    """One explained workload (podlint.explain.Explained), keys in a fixed order."""
    timeline = item.timeline
    try:
        assumptions = timeline.assumptions.to_dict()
    except Exception:
        assumptions = {}
    return {
        "kind": item.kind,
        "name": item.name,
        "namespace": item.namespace,
        "path": item.path,
        "line": item.line,
        "startup": [event.to_dict() for event in timeline.startup],
        "shutdown": [event.to_dict() for event in timeline.shutdown],
        "ready": ready_document(timeline),
        "rollout": None if item.rollout is None else item.rollout.to_dict(),
        "disruption": item.disruption,
        "assumptions": assumptions,
        "findings": [finding.to_dict() for finding in item.findings],
        **({"implied": [dict(c) for c in timeline.implied]} if getattr(timeline, "implied", ()) else {}),
    }


def document(explained: list, settings) -> dict:
    """`{"podlint_version", "kubernetes_version", "workloads": [...]}`"""
    return {
        "podlint_version": __version__,
        "kubernetes_version": format_version(settings.kubernetes_version),
        "workloads": [workload_document(item) for item in explained],
    }
