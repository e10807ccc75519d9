"""Pod -> Timeline: the builder that runs the startup and shutdown steps, and
`build_timeline`, which never raises."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from podlint.config import NEWEST_KUBERNETES, format_version
from podlint.timeline.bounds import UNKNOWN, ZERO, Bounds, _dur, _fmt, _num
from podlint.timeline.events import ContainerTiming, Event, Timeline
from podlint.timeline.hooks import command_sleep, sleep_seconds
from podlint.timeline.shutdown import ShutdownSteps
from podlint.timeline.startup import StartupSteps
from podlint.timeline.versions import (PRESTOP_WITHIN_GRACE_SINCE, PROBE_GRACE_SINCE,
                                       READINESS_TRIGGER_SINCE, SLEEP_ACTION_SINCE,
                                       STARTUP_PROBE_SINCE)

if TYPE_CHECKING:
    from podlint.assumptions import Assumptions
    from podlint.model import Container, Pod, Probe


class _Builder(StartupSteps, ShutdownSteps):
    """Accumulates events in causal (spec) order; sorted by time at the end."""

    def __init__(self, pod: "Pod", assumptions: "Assumptions", version: tuple[int, int]):
        self.pod = pod
        self.assumptions = assumptions
        self.version = version
        self.startup: list[Event] = []
        self.shutdown: list[Event] = []
        self.timings: dict[str, ContainerTiming] = {}
        self.notes: list[str] = []
        self.partial: dict[str, dict[str, Any]] = {}
        self.hooks: dict[int, tuple[Bounds | None, Bounds | None, str]] = {}
        self.never_ready: str | None = None

    # ------------------------------------------------------------------ helpers
    def add(self, phase: list[Event], name: str, container: str | None, bounds: Bounds,
            after: tuple[str, ...], detail: str) -> None:
        phase.append(Event(name, container, _num(bounds.earliest),
                           None if bounds.latest is None else _num(bounds.latest),
                           tuple(a for a in after if a), detail))

    def assumed(self, container: "Container", aspect: str) -> float | None:
        try:
            value = self.assumptions.get(container.name, aspect)
        except Exception:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        return float(value) if math.isfinite(value) and value >= 0 else None

    def pull(self, container: "Container") -> tuple[Bounds, str]:
        """Image pull time by pull policy (1.5) and the image-pull assumption."""
        policy = container.image_pull_policy
        image = container.image or "(no image)"
        try:
            assumed = self.assumptions.image_pull
        except Exception:
            assumed = None
        if isinstance(assumed, bool) or not isinstance(assumed, (int, float)):
            assumed = None
        if policy == "Never":
            return ZERO, f"image {image}, pull policy Never (must be on the node)"
        if assumed is not None:
            if policy == "Always":
                return Bounds(assumed, assumed), f"image {image}, pull policy Always, pull assumed {_dur(assumed)}"
            return Bounds(0, assumed), (f"image {image}, pull policy {policy}: 0 if cached, "
                                        f"else assumed {_dur(assumed)}")
        if policy == "Always":
            return UNKNOWN, f"image {image}, pull policy Always (registry round trip, time unknown)"
        return UNKNOWN, f"image {image}, pull policy {policy}: 0 if cached, else pull time unknown"

    def hook_duration(self, container: "Container", hook_kind: str) -> tuple[Bounds | None, str]:
        hook = container.post_start if hook_kind == "postStart" else container.pre_stop
        if hook is None:
            return None, ""
        handler = hook.handler
        seconds = sleep_seconds(handler)
        action = handler.action or "unknown"
        if handler.action == "sleep":
            if self.version < SLEEP_ACTION_SINCE:
                return ZERO, (f"sleep action needs Kubernetes {format_version(SLEEP_ACTION_SINCE)}+ "
                              "(a kubelet without the gate returns at once)")
            if seconds is None:
                return UNKNOWN, "sleep action with an invalid duration"
            return Bounds(seconds, seconds), f"sleep action, {_dur(seconds)}"
        if seconds is not None:
            return Bounds(seconds, seconds), f"exec sleep, {_dur(seconds)}"
        if handler.action == "tcpSocket":
            return ZERO, "tcpSocket handler is not supported: the hook fails at once"
        aspect = "post-start" if hook_kind == "postStart" else "pre-stop"
        assumed = self.assumed(container, aspect)
        if assumed is not None and handler.action in ("httpGet", "exec"):
            return (Bounds(assumed, assumed),
                    f"{action} hook, run time assumed {_dur(assumed)} ({self._source(container, aspect)})")
        if handler.action in ("httpGet", "exec"):
            return UNKNOWN, f"{action} hook, no kubelet timeout: run time unknown"
        return UNKNOWN, "hook without a known handler"

    def active(self, probe: "Probe | None") -> "Probe | None":
        if probe is None:
            return None
        if probe.kind == "startup" and self.version < STARTUP_PROBE_SINCE:
            return None
        return probe

    def pod_grace(self) -> int:
        return max(0, self.pod.termination_grace)

    def _source(self, container: "Container", aspect: str) -> str:
        key = f"{container.name}.{aspect}"
        try:
            return self.assumptions.sources.get(key, "assumed")
        except Exception:
            return "assumed"


def _chronological(events: list[Event]) -> tuple[Event, ...]:
    """Sorted by earliest time; ties keep their causal and spec order (stable sort)."""
    return tuple(sorted(events, key=lambda e: e.earliest))


def _empty(pod: Any, assumptions: Any, version: tuple[int, int], note: str) -> Timeline:
    grace = 30
    try:
        grace = max(0, int(pod.termination_grace))
    except Exception:
        pass
    return Timeline(version, grace, (Event("pod-scheduled", None, 0, 0, (), "the kubelet admits the pod"),),
                    (Event("deletion-requested", None, 0, 0, (), f"grace {grace} s"),),
                    ZERO, {}, assumptions, (note,), max(1, grace))


def build_timeline(pod: "Pod", assumptions: "Assumptions",
                   kubernetes_version: tuple[int, int] | None = None) -> Timeline:
    """The predicted timeline of `pod` for a target Kubernetes version. Never raises."""
    version = _version(kubernetes_version)
    if assumptions is None:
        from podlint.assumptions import Assumptions
        assumptions = Assumptions()
    pod, assumptions, implied = _with_implied(pod, assumptions, version)
    try:
        builder = _Builder(pod, assumptions, version)
        ready = builder.build_startup()
        builder.build_shutdown()
    except RecursionError:
        return _empty(pod, assumptions, version, "timeline not built: the pod nests too deeply")
    except Exception as exc:      # pragma: no cover - a bug here must not take a run down
        return _empty(pod, assumptions, version,
                      f"timeline not built: {type(exc).__name__}: {str(exc)[:120]}")
    notes = [f"assumed Kubernetes {format_version(version)}"
             + (" (the newest podlint models)" if version == NEWEST_KUBERNETES else "")]
    if version < PRESTOP_WITHIN_GRACE_SINCE:
        notes.append(f"below {format_version(PRESTOP_WITHIN_GRACE_SINCE)}: the kubelet gives the whole "
                     "grace again after preStop (SIGKILL at min(preStop, grace) + grace)")
    if version < READINESS_TRIGGER_SINCE:
        notes.append(f"below {format_version(READINESS_TRIGGER_SINCE)}: readiness probes run only on "
                     "their periodic ticks")
    if version < PROBE_GRACE_SINCE and any(
            p.termination_grace for c in pod.all_containers for p in c.probes):
        notes.append(f"below {format_version(PROBE_GRACE_SINCE)}: probe-level "
                     "terminationGracePeriodSeconds is off by default and ignored here")
    notes.extend(dict.fromkeys(builder.notes))
    if pod.long_running:
        for container in pod.containers:
            seconds = command_sleep(container)
            if seconds is not None:
                notes.append(f"{container.name}: its command ends by itself after about {_fmt(seconds)} s "
                             "(a finite sleep, no loop); restartPolicy Always restarts it at once, then after "
                             "10 s, 20 s, ... up to 300 s, and preStop does not run on such exits")
    notes.extend(_never_completes(pod, implied))
    for timing in builder.timings.values():
        if timing.never:
            notes.append(f"{timing.name}: {timing.never}")
    try:
        errors = tuple(assumptions.errors)
    except Exception:
        errors = ()
    notes.extend(f"ignored assumption: {e}" for e in errors)
    grace = builder.pod_grace()
    startup, shutdown = _mark_implied(builder.startup, implied), _mark_implied(builder.shutdown, implied)
    notes.extend(f"{c['name']}: implied, not in the manifest: {c['source']} injects it "
                 f"({c['mode']}: {c['why']})" for c in implied)
    return Timeline(version, grace, _chronological(startup), _chronological(shutdown),
                    ready, dict(builder.timings), assumptions, tuple(notes), max(1, grace),
                    builder.never_ready, tuple(implied))


def _with_implied(pod: "Pod", assumptions: "Assumptions", version: tuple[int, int]):
    """The pod with the containers its manifest implies (an injected mesh proxy,
    podlint.mesh), assumptions completed with what the mesh fixes (a legacy Istio
    proxy exits terminationDrainDuration after its stop signal), and their
    descriptions. The unchanged pod when nothing is implied."""
    try:
        from dataclasses import replace as _replace

        from podlint.mesh import detect, with_proxy
        mesh = detect(pod, assumptions, version)
        if mesh is None or pod.container(mesh.proxy) is not None:
            return pod, assumptions, []
        extended = with_proxy(pod, mesh)
        key = f"{mesh.proxy}.shutdown"
        if mesh.drain is not None and not mesh.native and key not in assumptions.values:
            assumptions = _replace(assumptions, values={**assumptions.values, key: mesh.drain},
                                   sources={**assumptions.sources,
                                            key: "Istio terminationDrainDuration"})
        role = "sidecar" if mesh.native else "main"
        return extended, assumptions, [{"name": mesh.proxy, "role": role, "implied": True,
                                        **mesh.describe()}]
    except Exception:           # an implied part must never cost the timeline
        return pod, assumptions, []


def _mark_implied(events: list[Event], implied: list[dict]) -> list[Event]:
    names = {c["name"] for c in implied}
    if not names:
        return events
    from dataclasses import replace as _replace
    return [_replace(e, implied=True) if e.container in names else e for e in events]


def _version(value: Any) -> tuple[int, int]:
    try:
        major, minor = value
        if isinstance(major, int) and isinstance(minor, int):
            return (major, minor)
    except Exception:
        pass
    return NEWEST_KUBERNETES


def _never_completes(pod: "Pod", implied: list[dict]) -> list[str]:
    """Job and CronJob pods succeed only when every regular container has exited:
    one that never exits by itself (podlint.images), or a proxy injected as a
    regular container, keeps the pod Running forever (design.md 9)."""
    from podlint.images import never_exits
    from podlint.workloads import RUN_TO_COMPLETION_KINDS

    if pod.kind not in RUN_TO_COMPLETION_KINDS:
        return []
    out = []
    for container in pod.containers:
        why = never_exits(container) if not container.implied else "an injected proxy"
        if why:
            out.append(f"{container.name}: never exits by itself ({why}): the pod never reaches "
                       f"Succeeded and the {pod.kind} never completes")
    return out
