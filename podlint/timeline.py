"""The predicted startup and shutdown timeline of a pod, with time bounds.

Pod -> Timeline: what the kubelet does and when, as far as the manifest fixes
it (lifecycle-semantics.md sections 1-3 and 8). Startup times count from the
pod being scheduled (admitted by the kubelet); shutdown times count from t0,
the moment the kubelet starts the kill (3.1). Every time is a pair of bounds:
`earliest` (a number) and `latest` (a number, or None for unbounded). Unknown
run-time quantities (image pull, an init container's run, the app's startup and
shutdown, an exec or HTTP hook) are 0 for the earliest bound and unbounded for
the latest unless an assumption states them; `sleep` hooks have known durations.
Kubelet and control-plane latencies (PLEG relists, sync lags) are taken as 0 and
named in the details, so that the grace arithmetic of 3.2 stays exact.

Rules read the result (ContainerTiming fields are the stable surface); the
`explain` renderers print it. Nothing here raises, whatever the pod holds: the
model has already defaulted every probe field and grace period, and every
formula below guards its inputs.
"""
from __future__ import annotations

import math
import os
import re
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from podlint.config import NEWEST_KUBERNETES, format_version

if TYPE_CHECKING:
    from podlint.assumptions import Assumptions
    from podlint.model import Container, Handler, Pod, Probe

# Version gates (lifecycle-semantics.md section 8): the first minor version with
# the behaviour on by default.
STARTUP_PROBE_SINCE = (1, 18)           # beta, on by default
READINESS_TRIGGER_SINCE = (1, 21)       # readiness runs at the sync that sees the container
PROBE_GRACE_SINCE = (1, 25)             # probe-level terminationGracePeriodSeconds on by default
PRESTOP_WITHIN_GRACE_SINCE = (1, 28)    # SIGKILL by t0 + g + 2 (PR #115835)
SIDECARS_SINCE = (1, 29)                # SidecarContainers beta, on by default
SIDECAR_ORDER_SINCE = (1, 29)           # sidecars stopped after the mains, in reverse order
SLEEP_ACTION_SINCE = (1, 30)            # PodLifecycleSleepAction beta, on by default
MIN_KILL_GRACE = 2                      # kuberuntime minimumGracePeriodInSeconds (K2)
STARTUP_EVENTS = ("pod-scheduled", "init-started", "init-completed", "sidecar-started",
                  "sidecar-ready", "container-started", "post-start-started",
                  "post-start-completed", "startup-probe-first", "startup-probe-deadline",
                  "readiness-probe-first", "liveness-probe-first", "container-ready", "pod-ready",
                  "liveness-restart-earliest")
SHUTDOWN_EVENTS = ("deletion-requested", "endpoints-removal", "pre-stop-started",
                   "pre-stop-completed", "stop-signal", "sigkill-deadline", "sidecar-stop-signal")


# ----------------------------------------------------------------------------- data

@dataclass(frozen=True)
class Bounds:
    """A time or a duration known to lie in [earliest, latest]; latest None = unbounded."""
    earliest: float            # seconds
    latest: float | None       # None = unbounded

    @property
    def exact(self) -> bool:
        return self.latest is not None and self.latest == self.earliest

    @property
    def bounded(self) -> bool:
        return self.latest is not None

    def __add__(self, other: "Bounds | float") -> "Bounds":
        if not isinstance(other, Bounds):
            other = Bounds(other, other)
        return Bounds(_num(self.earliest + other.earliest),
                      _add(self.latest, other.latest))

    def shift(self, seconds: float) -> "Bounds":
        return self + Bounds(seconds, seconds)

    def to_dict(self) -> dict:
        return {"earliest": json_number(self.earliest), "latest": json_number(self.latest)}


ZERO = Bounds(0, 0)
UNKNOWN = Bounds(0, None)


@dataclass(frozen=True)
class Event:
    event: str                 # exactly the vocabulary of design.md section 4
    container: str | None
    earliest: float
    latest: float | None
    after: tuple[str, ...]     # the events it waits for, as "event" or "event:container"
    detail: str                # one line

    @property
    def bounds(self) -> Bounds:
        return Bounds(self.earliest, self.latest)

    @property
    def key(self) -> str:
        return f"{self.event}:{self.container}" if self.container is not None else self.event

    def to_dict(self) -> dict:
        return {"event": self.event, "container": self.container,
                "earliest": json_number(self.earliest), "latest": json_number(self.latest),
                "after": list(self.after), "detail": self.detail}


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
    ready: Bounds | None                  # container-ready (absolute); None for init containers
    liveness_restart_earliest: Bounds | None  # absolute: earliest liveness (or startup) kill if the check fails from the first probe on
    liveness_failure_window: float | None     # period x failureThreshold of liveness (or None)
    kill_grace: int                       # grace for a kubelet-initiated kill of this container
    hang_to_restart: Bounds | None        # from a hang to the restart (liveness window + kill)
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
    never: str | None = None              # why it can never become started/ready (e.g. an undeclared named port)


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

    def event(self, name: str, container: str | None = None) -> Event | None:
        for event in self.startup + self.shutdown:
            if event.event == name and (container is None or event.container == container):
                return event
        return None

    def events(self, name: str) -> tuple[Event, ...]:
        return tuple(e for e in self.startup + self.shutdown if e.event == name)

    def timing(self, container: str) -> ContainerTiming | None:
        return self.containers.get(container)


# ----------------------------------------------------------------------------- numbers

def json_number(value: float | None) -> float | int | None:
    """A bound as JSON wants it: integral floats as ints, non-finite as null."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(value):
        return None
    if value.is_integer():
        return int(value)
    return round(value, 3)


def _num(value: float) -> float:
    """Keep numbers finite: an overflowing sum saturates at the largest float."""
    if value != value:          # NaN
        return 0.0
    if math.isinf(value):
        return math.copysign(1.7976931348623157e308, value)
    return value


def _add(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return _num(a + b)


def _max_l(*values: float | None) -> float | None:
    """max of latest bounds: unbounded if any is unbounded."""
    if any(v is None for v in values):
        return None
    return max(values) if values else 0


def _bmax(*bounds: Bounds) -> Bounds:
    """The later of several events (both bounds take the maximum)."""
    if not bounds:
        return ZERO
    return Bounds(max(b.earliest for b in bounds), _max_l(*(b.latest for b in bounds)))


def _fmt(value: float | None) -> str:
    number = json_number(value)
    return "unbounded" if number is None else f"{number}"


def _dur(seconds: float | None) -> str:
    number = json_number(seconds)
    return "an unknown time" if number is None else f"{number} s"


# ----------------------------------------------------------------------------- hook durations

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
_SLEEP_ARG = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_LOOP_WORDS = frozenset({"while", "until", "for", "if", "case", "then", "do", "function"})


def _sleep_args(args: list[str]) -> float | None:
    """`sleep 1m 30s` -> 90 (GNU and busybox add their arguments); None if not a duration."""
    if not args:
        return None
    total = 0.0
    for arg in args:
        match = _SLEEP_ARG.match(arg.strip().lower())
        if not match:
            return None
        total += float(match.group(1)) * _UNIT[match.group(2)]
    if not math.isfinite(total):
        return None
    return int(total) if total.is_integer() else total


def _is_sleep_binary(word: str) -> bool:
    return os.path.basename(word) == "sleep"


def _script_sleep(script: str) -> float | None:
    """The time a shell script spends in top-level `sleep` commands, at least.

    `sleep 15 && nginx -s quit` -> 15; `sleep 5; sleep 5` -> 10; `sleep 5 &` (in
    the background) and loops -> not counted. None when the script sleeps nowhere
    we can see.
    """
    if len(script) > 10_000:
        return None
    # Split into simple commands at ; && || and newlines, keeping `&` (background) visible.
    parts = re.split(r"\|\||&&|;|\n", script)
    total, found = 0.0, False
    for part in parts:
        text = part.strip()
        if not text or text.startswith("#"):
            continue
        if text.endswith("&") or "|" in text:
            continue
        try:
            words = shlex.split(text, comments=True)
        except ValueError:
            return None
        if not words:
            continue
        if words[0] in _LOOP_WORDS:
            return None
        if words[0] == "exec" and len(words) > 1:
            words = words[1:]
        if _is_sleep_binary(words[0]):
            seconds = _sleep_args(words[1:])
            if seconds is None:
                if words[1:] and words[1].lower() in ("inf", "infinity"):
                    return None
                continue
            total += seconds
            found = True
    if not found:
        return None
    return int(total) if total.is_integer() else total


def sleep_seconds(handler: "Handler | None") -> float | None:
    """Known duration of a hook handler, or None when the manifest cannot tell.

    Native `sleep` action -> its seconds; exec `sleep N`, `/bin/sleep N`,
    `["sh", "-c", "sleep 15"]`, `"sleep 15 && nginx -s quit"` (at least 15 -> 15),
    `sleep 5s`, `sleep 1m`. Anything else (httpGet, a script, `sleep infinity`) is None.
    """
    try:
        if handler is None:
            return None
        if handler.action == "sleep":
            seconds = handler.sleep_seconds
            if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
                return None
            return seconds
        if handler.action != "exec" or not handler.command:
            return None
        words = [str(w) for w in handler.command]
        if _is_sleep_binary(words[0]):
            return _sleep_args(words[1:])
        if os.path.basename(words[0]) == "env" and len(words) > 1:
            words = words[1:]
        shell = os.path.basename(words[0])
        if shell == "busybox" and len(words) > 1 and words[1] in ("sh", "ash"):
            words = words[1:]
            shell = "sh"
        if shell in _SHELLS:
            for position, word in enumerate(words[1:], start=1):
                if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
                    if position + 1 < len(words):
                        return _script_sleep(words[position + 1])
                    return None
        return None
    except Exception:           # a timeline must never raise
        return None


def command_sleep(container: "Container") -> float | None:
    """Seconds after which a container's own command ends by itself, when it is a
    shell script of finite sleeps and simple commands (`echo START; sleep 10; echo
    END`), else None. A long-running pod restarts such a container (with backoff),
    and its preStop does not run on those exits (lifecycle-semantics 3.4)."""
    try:
        raw = container.raw if isinstance(container.raw, dict) else {}
        words = [str(w) for key in ("command", "args") if isinstance(raw.get(key), list)
                 for w in raw[key]]
        if len(words) < 3 or os.path.basename(words[0]) not in _SHELLS:
            return None
        for position, word in enumerate(words[1:], start=1):
            if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
                if position + 1 >= len(words):
                    return None
                script = words[position + 1]
                if re.search(r"\b(?:while|until|for|exec|wait|tail|nc|httpd|nginx|python|java|node)\b", script):
                    return None
                return _script_sleep(script)
        return None
    except Exception:
        return None


# ----------------------------------------------------------------------------- kill arithmetic

def _sigkill_after(stop: float, grace: float) -> float:
    """SIGKILL time for a stop signal at `stop` (s after t0) and grace `grace` (1.28+):
    the remaining grace, but at least 2 s (K1 killContainer, K2)."""
    return _num(max(stop + MIN_KILL_GRACE, grace))


def kill_sequence(pre_stop: Bounds | None, grace: int, version: tuple[int, int],
                  deletion: bool = True) -> tuple[Bounds, Bounds, Bounds | None]:
    """(stop signal, SIGKILL deadline, preStop end) relative to the start of the kill.

    lifecycle-semantics.md 3.2: the kubelet waits min(P, g) for the preStop hook,
    sends the stop signal, then waits the remaining grace but at least 2 s. On 1.28
    and later: SIGKILL at g when P <= g - 2, at P + 2 when g - 2 < P < g, at g + 2
    when P >= g. Before 1.28 a pod deletion gave the stop call the whole grace
    again, after the 2 s floor: SIGKILL at min(P, g) + g. With grace 0 (a kill of one container in a pod
    whose grace is 0) the hook is skipped: stop at once, SIGKILL 2 s later.
    """
    g = max(0, grace)
    if pre_stop is None or g == 0:
        stop = ZERO
        hook_end = None if pre_stop is None else ZERO
    else:
        latest = g if pre_stop.latest is None else min(pre_stop.latest, g)
        stop = Bounds(min(max(pre_stop.earliest, 0), g), latest)
        hook_end = stop
    if deletion and version < PRESTOP_WITHIN_GRACE_SINCE:
        # The old killContainer applied the pod worker's override after the 2 s
        # floor, so the stop call got exactly g (1 for a grace of 0), not max(2, g).
        kill = Bounds(_num(stop.earliest + g), _add(stop.latest, g))
    else:
        kill = Bounds(_sigkill_after(stop.earliest, g),
                      None if stop.latest is None else _sigkill_after(stop.latest, g))
    return stop, kill, hook_end


# ----------------------------------------------------------------------------- building

class _Builder:
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
        if handler.action in ("httpGet", "exec"):
            return UNKNOWN, f"{action} hook, no kubelet timeout: run time unknown"
        return UNKNOWN, "hook without a known handler"

    def probe_port_problem(self, container: "Container", probe: "Probe | None") -> str | None:
        """A probe that can never run: a named port the container does not declare (2.3)."""
        if probe is None:
            return None
        handler = probe.handler
        if handler.action in ("httpGet", "tcpSocket", "grpc") and isinstance(handler.port, str) \
                and not handler.port.isdigit() and container.resolve_port(handler.port) is None:
            return (f'{probe.kind} probe targets port "{handler.port}", which the container does '
                    "not declare: the probe errors and never succeeds")
        return None

    def active(self, probe: "Probe | None") -> "Probe | None":
        if probe is None:
            return None
        if probe.kind == "startup" and self.version < STARTUP_PROBE_SINCE:
            return None
        return probe

    # ------------------------------------------------------------------ startup
    def build_startup(self) -> Bounds:
        pod = self.pod
        S = self.startup
        self.add(S, "pod-scheduled", None, ZERO, (),
                 "the kubelet admits the pod; probe workers start ticking now (2.3)")
        cursor, cursor_ref = ZERO, "pod-scheduled"
        for container in pod.init_containers:
            if container.role == "sidecar":
                cursor, cursor_ref = self.sidecar(container, cursor, cursor_ref)
            else:
                cursor, cursor_ref = self.init_container(container, cursor, cursor_ref)
        starts: list[tuple["Container", Bounds, Bounds | None, str]] = []
        for container in pod.containers:
            pull, pull_detail = self.pull(container)
            started = cursor + pull
            self.add(S, "container-started", container.name, started, (cursor_ref,),
                     f"{pull_detail}; started in spec order, one at a time")
            ref = f"container-started:{container.name}"
            post, post_detail = self.hook_duration(container, "postStart")
            if post is not None:
                self.add(S, "post-start-started", container.name, started, (ref,),
                         "same instant as the start, runs alongside the ENTRYPOINT")
                end = started + post
                self.add(S, "post-start-completed", container.name, end,
                         (f"post-start-started:{container.name}",),
                         f"{post_detail}; the next container waits for it")
                cursor, cursor_ref = end, f"post-start-completed:{container.name}"
            else:
                cursor, cursor_ref = started, ref
            starts.append((container, started, post, cursor_ref))
        # The kubelet sees the main containers running at the next sync, after the
        # whole start loop (every pull and postStart of this sync) has returned.
        seen, seen_ref = cursor, cursor_ref
        ready_bounds: list[Bounds] = [self.partial[c.name]["ready"] for c in pod.sidecars
                                      if "ready" in self.partial.get(c.name, {})]
        ready_refs = [f"container-ready:{c.name}" for c in pod.sidecars]
        for container, started, post, _ in starts:
            ready = self.probes(container, started, seen, seen_ref, post)
            ready_bounds.append(ready)
            ready_refs.append(f"container-ready:{container.name}")
        if ready_bounds:
            pod_ready = _bmax(*ready_bounds)
        else:
            pod_ready = cursor
        detail = "every main container and sidecar ready"
        gates = pod.raw.get("readinessGates") if isinstance(pod.raw, dict) else None
        if isinstance(gates, list) and gates:
            pod_ready = Bounds(pod_ready.earliest, None)
            detail += f"; plus {len(gates)} readinessGates condition(s) set by another controller"
        if any(t.never for t in self.timings.values() if t.role != "init"):
            pod_ready = Bounds(pod_ready.earliest, None)
            detail += "; never, as things stand (a probe can never succeed)"
        self.add(S, "pod-ready", None, pod_ready, tuple(ready_refs) or (cursor_ref,), detail)
        for container, *_ in starts:
            self.restart_event(container)
        return pod_ready

    def init_container(self, container: "Container", cursor: Bounds, cursor_ref: str) -> tuple[Bounds, str]:
        S = self.startup
        pull, pull_detail = self.pull(container)
        started = cursor + pull
        self.add(S, "init-started", container.name, started, (cursor_ref,), pull_detail)
        run = self.assumed(container, "run")
        if run is None:
            duration, detail = UNKNOWN, "run time unknown; must exit 0 before the next step"
        else:
            duration = Bounds(run, run)
            detail = f"run time assumed {_dur(run)} ({self._source(container, 'run')})"
        completed = started + duration
        self.add(S, "init-completed", container.name, completed,
                 (f"init-started:{container.name}",), detail)
        self.remember(ContainerTiming(
            name=container.name, role="init", started=started, running_seen=started,
            post_start=None, first_probe={}, startup_budget_guaranteed=None,
            startup_budget_max=None, ready=None, liveness_restart_earliest=None,
            liveness_failure_window=None, kill_grace=self.pod_grace(), hang_to_restart=None,
            pre_stop=None, stop_signal=ZERO, sigkill=ZERO, assumed_startup=self.assumed(container, "startup"),
            index=container.index, completed=completed))
        return completed, f"init-completed:{container.name}"

    def sidecar(self, container: "Container", cursor: Bounds, cursor_ref: str) -> tuple[Bounds, str]:
        S = self.startup
        pull, pull_detail = self.pull(container)
        started = cursor + pull
        if self.version < SIDECARS_SINCE:
            pull_detail += (f"; restartable init containers need Kubernetes "
                            f"{format_version(SIDECARS_SINCE)}+ (on by default)")
        self.add(S, "sidecar-started", container.name, started, (cursor_ref,), pull_detail)
        ref = f"sidecar-started:{container.name}"
        post, post_detail = self.hook_duration(container, "postStart")
        seen, seen_ref = started, ref
        if post is not None:
            self.add(S, "post-start-started", container.name, started, (ref,),
                     "same instant as the start, runs alongside the ENTRYPOINT")
            seen = started + post
            seen_ref = f"post-start-completed:{container.name}"
            self.add(S, "post-start-completed", container.name, seen,
                     (f"post-start-started:{container.name}",),
                     f"{post_detail}; the next init container waits for it")
        self.partial[container.name] = {}
        ready = self.probes(container, started, seen, seen_ref, post)
        timing = self.timings.get(container.name)
        gate = timing.startup_success if timing and timing.startup_success else seen
        gate_ref = (f"startup-probe-first:{container.name}" if timing and timing.startup_success
                    else seen_ref)
        if timing is not None and timing.role == "sidecar" and timing.startup_success is not None:
            detail = "started, postStart returned and startup probe succeeded: the next init container may start"
        elif self.active(container.startup_probe) is None:
            detail = ("started (and postStart returned): no startupProbe, so the next init container "
                      "starts before this one is ready")
        else:
            detail = "started, postStart returned and startup probe succeeded"
        if timing is not None and timing.never:
            gate = Bounds(gate.earliest, None)
            detail += f"; never: {timing.never}"
        self.add(S, "sidecar-ready", container.name, gate, (gate_ref,), detail)
        self.partial[container.name]["ready"] = ready
        self.restart_event(container)
        return gate, f"sidecar-ready:{container.name}"

    def pod_grace(self) -> int:
        return max(0, self.pod.termination_grace)

    def _source(self, container: "Container", aspect: str) -> str:
        key = f"{container.name}.{aspect}"
        try:
            return self.assumptions.sources.get(key, "assumed")
        except Exception:
            return "assumed"

    def probes(self, container: "Container", started: Bounds, seen: Bounds, seen_ref: str,
               post: Bounds | None) -> Bounds:
        """Probe windows, startup success, readiness for one main container or sidecar."""
        S = self.startup
        name = container.name
        A = self.assumed(container, "startup")
        app_up = started.shift(A) if A is not None else None
        first: dict[str, Bounds] = {}
        never: str | None = None
        startup = self.active(container.startup_probe)
        if container.startup_probe is not None and startup is None:
            self.notes.append(f"startupProbe of {name} ignored: needs Kubernetes "
                              f"{format_version(STARTUP_PROBE_SINCE)}+")
        gate, gate_ref = seen, seen_ref
        startup_success = None
        budget_g = budget_m = None
        restart = None
        if startup is not None:
            d, p, T, F = startup.initial_delay, startup.period, startup.timeout, startup.failure_threshold
            e0 = _bmax(seen, started.shift(d))
            window = Bounds(e0.earliest, _add(e0.latest, p))
            first["startup"] = window
            problem = self.probe_port_problem(container, startup)
            budget_g = _num(d + (F - 1) * p)
            budget_m = _num(d + F * p)
            self.add(S, "startup-probe-first", name, window, (seen_ref,),
                     f"first run in [max(seen running, start + {d}), + {p}); liveness and readiness "
                     "wait for its success" + (f"; {problem}" if problem else ""))
            deadline = Bounds(_num(e0.earliest + (F - 1) * p), _add(e0.latest, _num(F * p + T)))
            self.add(S, "startup-probe-deadline", name, deadline, (f"startup-probe-first:{name}",),
                     f"killed and restarted if it has not succeeded after {F} failures x {p} s "
                     f"(budget: an app up within {_fmt(budget_g)} s of its start is safe, "
                     f"{_fmt(budget_m)} s at most)")
            restart = deadline
            if problem:
                never = problem
                startup_success = Bounds(window.earliest, None)
            elif app_up is not None:
                base = _bmax(e0, app_up)
                startup_success = Bounds(base.earliest, _add(base.latest, _num(p + T)))
            else:
                startup_success = Bounds(window.earliest, None)
            gate = startup_success
            gate_ref = f"startup-probe-first:{name}"
        readiness = container.readiness_probe
        liveness = container.liveness_probe
        on_trigger = self.version >= READINESS_TRIGGER_SINCE
        ready: Bounds
        if readiness is not None:
            d, p, T, S_ = readiness.initial_delay, readiness.period, readiness.timeout, readiness.success_threshold
            e0 = _bmax(gate, started.shift(d))
            window = Bounds(e0.earliest, _add(e0.latest, p))
            first["readiness"] = window
            problem = self.probe_port_problem(container, readiness)
            when = (f"{format_version(READINESS_TRIGGER_SINCE)}+: at the sync that sees it "
                    f"running (or a tick), else within {p} s" if on_trigger
                    else f"on a tick within {p} s")
            self.add(S, "readiness-probe-first", name, window, (gate_ref,),
                     f"{when} after max(seen running, start + {d})" + (f"; {problem}" if problem else ""))
            if problem:
                never = never or problem
                ready = Bounds(window.earliest, None)
                rdetail = f"never: {problem}"
            else:
                base = _bmax(e0, app_up) if app_up is not None else e0
                earliest = _num(base.earliest + (S_ - 1) * p)
                latest = _add(base.latest, _num(S_ * p + T)) if app_up is not None else None
                ready = Bounds(earliest, latest)
                rdetail = (f"first readiness success (successThreshold {S_})"
                           + ("" if app_up is not None else "; app startup unknown"))
            ready_event = (ready, (f"readiness-probe-first:{name}",), rdetail)
        else:
            ready = gate
            if never:
                ready = Bounds(gate.earliest, None)
            ready_event = (ready, (gate_ref,), "no readinessProbe: ready once seen running"
                           + (" and the startup probe succeeded" if startup is not None else ""))
        if liveness is not None:
            d, p, T, F = liveness.initial_delay, liveness.period, liveness.timeout, liveness.failure_threshold
            e0 = _bmax(gate, started.shift(d))
            window = Bounds(e0.earliest, _add(e0.latest, p))
            first["liveness"] = window
            problem = self.probe_port_problem(container, liveness)
            self.add(S, "liveness-probe-first", name, window, (gate_ref,),
                     f"on a tick within {p} s after max(seen running, start + {d})"
                     + (f"; {problem}: it never restarts the container" if problem else ""))
            if restart is None and not problem:
                restart = Bounds(_num(e0.earliest + (F - 1) * p), _add(e0.latest, _num(F * p + T)))
        self.add(S, "container-ready", name, *ready_event)
        kill_grace = self.kill_grace(container)
        hang = None
        if liveness is not None and not self.probe_port_problem(container, liveness):
            p, T, F = liveness.period, liveness.timeout, liveness.failure_threshold
            pre, _ = self.hook_duration(container, "preStop")
            _, kill, _ = kill_sequence(pre, kill_grace, self.version, deletion=False)
            hang = Bounds(_num((F - 1) * p + kill.earliest), _add(_num(F * p + T), kill.latest))
        self.remember(ContainerTiming(
            name=name, role=container.role, started=started, running_seen=seen, post_start=post,
            first_probe=first, startup_budget_guaranteed=budget_g, startup_budget_max=budget_m,
            ready=ready, liveness_restart_earliest=restart,
            liveness_failure_window=_num(liveness.period * liveness.failure_threshold) if liveness else None,
            kill_grace=kill_grace, hang_to_restart=hang, pre_stop=None, stop_signal=ZERO,
            sigkill=ZERO, assumed_startup=A, index=container.index, startup_success=startup_success,
            never=never))
        return ready

    def restart_event(self, container: "Container") -> None:
        timing = self.timings.get(container.name)
        if timing is None or timing.liveness_restart_earliest is None \
                or self.pod.container(container.name) is not container:
            return
        liveness = container.liveness_probe
        startup = self.active(container.startup_probe)
        if startup is not None:
            detail = (f"if the check fails from its first run: the startup probe kills after "
                      f"{startup.failure_threshold} x {startup.period} s")
            after = f"startup-probe-first:{container.name}"
        else:
            detail = (f"in [x + {(liveness.failure_threshold - 1) * liveness.period}, x + "
                      f"{liveness.failure_threshold * liveness.period + liveness.timeout}) if every "
                      f"liveness run fails from x (>= first run)")
            after = f"liveness-probe-first:{container.name}"
        detail += f"; kill grace {timing.kill_grace} s, restart in the same sync"
        if self.pod.restart_policy == "Never" and container.role == "main":
            detail += " (restartPolicy Never: the container is not restarted)"
        self.add(self.startup, "liveness-restart-earliest", container.name,
                 timing.liveness_restart_earliest, (after,), detail)

    def kill_grace(self, container: "Container") -> int:
        """Grace for a liveness/startup kill: the probe's own if set (1.25+), else the pod's."""
        if self.version >= PROBE_GRACE_SINCE:
            for probe in (container.liveness_probe, self.active(container.startup_probe)):
                if probe is not None and probe.termination_grace is not None and probe.termination_grace > 0:
                    return probe.termination_grace
        return self.pod_grace()

    def remember(self, timing: ContainerTiming) -> None:
        self.timings.setdefault(timing.name, timing)

    # ------------------------------------------------------------------ shutdown
    def build_shutdown(self) -> None:
        pod = self.pod
        D = self.shutdown
        grace = self.pod_grace()
        g = max(1, grace)
        lag = ("t0 (the kubelet starts the kill) may lag the API deletion by up to ~2 s, "
               "more if a container start or postStart is still in progress")
        source = "explicit" if pod.grace_explicit else "default"
        extra = f" (0 is floored to 1 s on deletion)" if grace == 0 else ""
        self.add(D, "deletion-requested", None, ZERO, (),
                 f"grace {grace} s ({source}){extra}; {lag}")
        self.add(D, "endpoints-removal", None, ZERO, ("deletion-requested",),
                 "endpoints marked terminating now; propagation to proxies not modelled")
        results: dict[int, tuple[Bounds, Bounds, Bounds]] = {}
        # Every running container's preStop starts at t0: their events in spec order.
        self.hooks = {id(c): self.pre_stop_events(c, g) for c in pod.sidecars + pod.containers}
        # Main containers: all killed in parallel at t0.
        for container in pod.containers:
            stop, kill, exited = self.kill_one(container, g, ("deletion-requested",), "stop-signal")
            results[id(container)] = (stop, kill, exited)
        ordered = self.version >= SIDECAR_ORDER_SINCE
        sidecars = list(pod.sidecars)
        later_exit: list[Bounds] = [results[id(c)][2] for c in pod.containers]
        later_refs: list[str] = [f"sigkill-deadline:{c.name}" for c in pod.containers]
        if not ordered and sidecars:
            self.notes.append(f"below {format_version(SIDECAR_ORDER_SINCE)} sidecars are stopped "
                              "in parallel with the main containers (no ordering)")
        for container in reversed(sidecars):
            if ordered:
                stop, kill, exited = self.kill_sidecar(container, g, later_exit, later_refs)
            else:
                stop, kill, exited = self.kill_one(container, g, ("deletion-requested",),
                                                   "sidecar-stop-signal")
            later_exit.append(exited)
            later_refs.append(f"sigkill-deadline:{container.name}")

    def pre_stop_events(self, container: "Container", g: int) -> tuple[Bounds | None, Bounds | None, str]:
        """pre-stop-started/completed for one container; (duration, end, ref)."""
        D = self.shutdown
        pre, detail = self.hook_duration(container, "preStop")
        if pre is None:
            return None, None, "deletion-requested"
        self.add(D, "pre-stop-started", container.name, ZERO, ("deletion-requested",),
                 "at t0, together with endpoint removal" + (" (grace 0 is floored at 1 s, so the "
                                                             "hook runs)" if self.pod_grace() == 0 else ""))
        latest = g if pre.latest is None else min(pre.latest, g)
        end = Bounds(min(pre.earliest, g), latest)
        if pre.latest is not None and pre.latest < g:
            note = "the kubelet waits for it"
        elif pre.earliest >= g:
            note = f"still running at the grace ({g} s): the kubelet stops waiting (the hook is abandoned)"
        else:
            note = f"the kubelet stops waiting at t0 + {g}"
        self.add(D, "pre-stop-completed", container.name, end, (f"pre-stop-started:{container.name}",),
                 f"{detail}; {note}")
        return pre, end, f"pre-stop-completed:{container.name}"

    def exit_bounds(self, container: "Container", stop: Bounds, kill: Bounds) -> Bounds:
        shutdown = self.assumed(container, "shutdown")
        if shutdown is None:
            return Bounds(stop.earliest, kill.latest)
        latest = min(_num(stop.latest + shutdown), kill.latest) if stop.latest is not None and kill.latest is not None else kill.latest
        return Bounds(min(_num(stop.earliest + shutdown), kill.earliest), latest)

    def kill_one(self, container: "Container", g: int, after: tuple[str, ...],
                 stop_event: str) -> tuple[Bounds, Bounds, Bounds]:
        D = self.shutdown
        pre, end, ref = self.hooks[id(container)]
        stop, kill, _ = kill_sequence(pre, g, self.version, deletion=True)
        signal = "SIGTERM unless the image or lifecycle.stopSignal says otherwise"
        self.add(D, stop_event, container.name, stop, (ref,),
                 (f"after preStop (at most {g} s); " if pre is not None else "at t0 (no preStop); ")
                 + signal)
        self.add(D, "sigkill-deadline", container.name, kill,
                 ("deletion-requested", f"{stop_event}:{container.name}"),
                 self.kill_detail(pre, g))
        exited = self.exit_bounds(container, stop, kill)
        self.finish(container, pre, end, stop, kill, exited)
        return stop, kill, exited

    def kill_detail(self, pre: Bounds | None, g: int) -> str:
        if self.version < PRESTOP_WITHIN_GRACE_SINCE:
            return (f"below {format_version(PRESTOP_WITHIN_GRACE_SINCE)}: the whole grace ({g} s) "
                    "again after the preStop, SIGKILL at min(preStop, grace) + grace")
        if pre is None:
            return f"grace {g} s counted from t0" + (" (at least 2 s after the stop signal)" if g < 2 else "")
        if pre.latest is not None and pre.latest <= g - 2:
            return f"grace {g} s counted from t0, preStop included"
        return (f"grace {g} s counted from t0, preStop included; at least 2 s after the stop "
                f"signal, so up to t0 + {g + 2} if the hook uses the grace")

    def kill_sidecar(self, container: "Container", g: int, later_exit: list[Bounds],
                     later_refs: list[str]) -> tuple[Bounds, Bounds, Bounds]:
        """1.29+: stop signal after its own preStop and once every main container and
        every later sidecar has exited, but no later than the grace (3.3)."""
        D = self.shutdown
        pre, end, ref = self.hooks[id(container)]
        own = end if end is not None else ZERO
        others = _bmax(*later_exit) if later_exit else ZERO
        earliest = min(max(own.earliest, others.earliest), g)
        latest_own = g if own.latest is None else own.latest
        latest_others = g if others.latest is None else others.latest
        if own.earliest >= g:
            stop = Bounds(g, g)
        else:
            stop = Bounds(earliest, min(max(latest_own, latest_others), g))
        kill = Bounds(_sigkill_after(stop.earliest, g), _sigkill_after(stop.latest, g))
        self.add(D, "sidecar-stop-signal", container.name, stop, (ref, *later_refs),
                 f"after its preStop and once the main containers{' and later sidecars' if len(later_refs) > len(self.pod.containers) else ''} "
                 f"have exited (reverse order), at the latest when the grace ({g} s) runs out")
        self.add(D, "sigkill-deadline", container.name, kill,
                 ("deletion-requested", f"sidecar-stop-signal:{container.name}"),
                 f"remaining grace, at least 2 s after its stop signal (whole-second truncation "
                 f"may add up to ~2 s after t0 + {g})")
        exited = self.exit_bounds(container, stop, kill)
        self.finish(container, pre, end, stop, kill, exited)
        return stop, kill, exited

    def finish(self, container: "Container", pre: Bounds | None, end: Bounds | None,
               stop: Bounds, kill: Bounds, exited: Bounds) -> None:
        timing = self.timings.get(container.name)
        if timing is None or self.pod.container(container.name) is not container:
            return
        from dataclasses import replace
        self.timings[container.name] = replace(timing, pre_stop=pre, pre_stop_completed=end,
                                               stop_signal=stop, sigkill=kill, exited=exited)


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
    for timing in builder.timings.values():
        if timing.never:
            notes.append(f"{timing.name}: {timing.never}")
    try:
        errors = tuple(assumptions.errors)
    except Exception:
        errors = ()
    notes.extend(f"ignored assumption: {e}" for e in errors)
    grace = builder.pod_grace()
    return Timeline(version, grace, _chronological(builder.startup), _chronological(builder.shutdown),
                    ready, dict(builder.timings), assumptions, tuple(notes), max(1, grace))


def _version(value: Any) -> tuple[int, int]:
    try:
        major, minor = value
        if isinstance(major, int) and isinstance(minor, int):
            return (major, minor)
    except Exception:
        pass
    return NEWEST_KUBERNETES
