"""The timeline's data: the fixed event vocabulary (design.md section 4), the
events, each container's timing (the stable surface rules read) and the Timeline.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from podlint.timeline.bounds import Bounds, json_number

if TYPE_CHECKING:
    from podlint.assumptions import Assumptions

STARTUP_EVENTS = ("pod-scheduled", "init-started", "init-completed", "sidecar-started",
                  "sidecar-ready", "container-started", "post-start-started",
                  "post-start-completed", "startup-probe-first", "startup-probe-deadline",
                  "readiness-probe-first", "liveness-probe-first", "container-ready", "pod-ready",
                  "liveness-restart-earliest")
SHUTDOWN_EVENTS = ("deletion-requested", "endpoints-removal", "pre-stop-started",
                   "pre-stop-completed", "stop-signal", "sigkill-deadline", "sidecar-stop-signal")




@dataclass(frozen=True)
class Event:
    event: str                 # exactly the vocabulary of design.md section 4
    container: str | None
    earliest: float
    latest: float | None
    after: tuple[str, ...]     # the events it waits for, as "event" or "event:container"
    detail: str                # one line
    implied: bool = False      # about a container the manifest does not show (podlint.mesh)

    @property
    def bounds(self) -> Bounds:
        return Bounds(self.earliest, self.latest)

    @property
    def key(self) -> str:
        return f"{self.event}:{self.container}" if self.container is not None else self.event

    def to_dict(self) -> dict:
        return {"event": self.event, "container": self.container,
                "earliest": json_number(self.earliest), "latest": json_number(self.latest),
                "after": list(self.after), "detail": self.detail,
                **({"implied": True} if self.implied else {})}


@dataclass(frozen=True)
class ContainerTiming:
    name: str
    role: str                             # "init" | "sidecar" | "main"
    started: Bounds                       # container-started / init-started / sidecar-started
    running_seen: Bounds                  # h: the kubelet sees it running (after its postStart and later postStarts of the same sync)
    post_start: Bounds | None             # duration of its postStart (known for sleep forms, else 0..None)
    first_probe: dict[str, Bounds]        # "startup"/"liveness"/"readiness" -> window of the first run (absolute times)
    startup_budget_guaranteed: float | None   # d + (F-1)p : an app needing <= this after start is never killed by the startup probe
    startup_budget_max: float | None          # d + F*p
    ready: Bounds | None                  # container-ready (absolute); None for init containers and
                                          # for containers that can never be ready (see `never`)
    liveness_restart_earliest: Bounds | None  # absolute: earliest liveness (or startup) kill if the check fails from the first probe on
    kill_grace: int                       # grace for a kubelet-initiated kill of this container
    hang_to_restart: Bounds | None        # from a hang to the restart (hang_decision + kill)
    pre_stop: Bounds | None               # duration of its preStop; None if no preStop
    stop_signal: Bounds                   # shutdown, relative to t0
    sigkill: Bounds                       # shutdown, relative to t0
    assumed_startup: float | None         # from assumptions (CONTAINER.startup)
    # Additions beyond the contract of issue 4 (never renamed or removed):
    index: int = 0                        # position within initContainers or containers
    completed: Bounds | None = None       # init containers: init-completed
    startup_success: Bounds | None = None  # when the startup probe first succeeds (None: no probe)
    pre_stop_completed: Bounds | None = None  # shutdown: when the kubelet stops waiting for preStop
    exited: Bounds | None = None          # shutdown: when the container has exited (<= SIGKILL)
    never: str | None = None              # why a probe of it can never succeed (an undeclared named port):
                                          # then `ready` is None and no event claims a time for it
    liveness_decision: Bounds | None = None   # relative: from a failing check at x, the restart is decided in
                                              # [x + (F-1)p, x + F*p + T) (lifecycle-semantics 2.4; T < p)
    hang_decision: Bounds | None = None       # relative: from a hang at x (every run times out), decided in
                                              # [x + (F-1)p + T, x + F*p + T) (T < p; probes.hang_window)
    startup_first_check: float | None = None  # startup probe: no run before this many s after the
                                              # start, max(initialDelaySeconds, earliest h - s)
    seen_after_start: Bounds | None = None    # h - s: its postStart plus later starts of the same sync;
                                              # the first probe run waits for max(this, initialDelay)


@dataclass(frozen=True)
class Timeline:
    kubernetes_version: tuple[int, int]
    grace: int                            # the pod's terminationGracePeriodSeconds (default 30)
    startup: tuple[Event, ...]            # chronological (ties in spec order)
    shutdown: tuple[Event, ...]
    ready: Bounds                         # pod-ready
    containers: dict[str, ContainerTiming]   # by container name (first wins on duplicates)
    assumptions: "Assumptions"            # podlint.assumptions.Assumptions
    notes: tuple[str, ...]                # version notes etc.
    kill_grace: int = 30                  # the grace the kubelet uses on deletion: max(1, grace)
    never_ready: str | None = None        # why the pod can never be Ready; then `ready` is only a lower
                                          # bound, no pod-ready event exists and JSON says never: true
    implied: tuple[dict, ...] = ()        # containers the manifest implies (an injected mesh proxy):
                                          # {"name", "role", "implied": true, "mesh", "mode", "why", "source"}

    def event(self, name: str, container: str | None = None) -> Event | None:
        for event in self.startup + self.shutdown:
            if event.event == name and (container is None or event.container == container):
                return event
        return None

    def events(self, name: str) -> tuple[Event, ...]:
        return tuple(e for e in self.startup + self.shutdown if e.event == name)

    def timing(self, container: str) -> ContainerTiming | None:
        return self.containers.get(container)


