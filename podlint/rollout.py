"""How a rollout proceeds, one level above the pod: the controllers' arithmetic.

The pod timeline says when one new pod can be Ready and how long an old one
takes to stop. A rollout is those two durations multiplied by how the
controller batches pods, and the batching is plain integer arithmetic in the
controllers' code. This module reproduces that arithmetic and steps it, so
`podlint explain` can say how many times a rollout waits, how long it may take,
how few pods stay available and which wait can outlast the progress deadline.

Everything here is a pure function of numbers: the caller (explain, the PL6xx
rules) reads the spec and the pod timeline and passes them in. Every formula
names the function of kubernetes/kubernetes it follows; docs/rollout.md lists
them with worked examples that the test suite executes.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from podlint.timeline import Bounds

if TYPE_CHECKING:
    from podlint.workloads import Strategy

ROLLOUT_KINDS = frozenset({"Deployment", "DeploymentConfig", "StatefulSet", "DaemonSet"})
STATEFULSET_MIN_READY_SINCE = (1, 25)           # StatefulSetMinReadySeconds GA (beta 1.23)
STATEFULSET_MAX_UNAVAILABLE_SINCE = (1, 35)     # MaxUnavailableStatefulSet beta, on (alpha 1.24)
MAX_STEPS = 200                                 # a rollout of 10,000 pods stays a short list

_PERCENT = re.compile(r"^(\d+)%$")
_FAILS = {"progressDeadlineSeconds": "is marked failed (ProgressDeadlineExceeded)",
          "timeoutSeconds": "is rolled back by the deployer pod (timeoutSeconds)"}


class RolloutError(ValueError):
    """A strategy value the controller would reject (the API rejects it first)."""


def scaled_value(value: int | str | None, total: int, round_up: bool) -> int | None:
    """intstr.GetScaledValueFromIntOrPercent: an integer as is, "N%" of `total`
    rounded up or down. None when the value is neither (the API rejects it)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    match = _PERCENT.match(str(value).strip())
    if not match:                   # "5" is a string, not a number: the API rejects it
        return None
    scaled = int(match.group(1)) * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(max_surge, max_unavailable, desired: int) -> tuple[int, int]:
    """deployment_util.go ResolveFenceposts: surge rounds up, unavailable rounds
    down, and both 0 would deadlock the rollout, so unavailable becomes 1."""
    surge = scaled_value(0 if max_surge is None else max_surge, desired, True)
    unavailable = scaled_value(0 if max_unavailable is None else max_unavailable, desired, False)
    if surge is None or unavailable is None:
        raise RolloutError("maxSurge and maxUnavailable must be integers or percentages")
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def deployment_fenceposts(max_surge, max_unavailable, replicas: int) -> tuple[int, int]:
    """deployment_util.go MaxSurge and MaxUnavailable: the fenceposts, with
    unavailable capped at replicas and both 0 for a Deployment of 0 replicas."""
    surge, unavailable = resolve_fenceposts(max_surge, max_unavailable, replicas)
    if replicas == 0:
        return surge, 0
    return surge, min(unavailable, replicas)


@dataclass(frozen=True)
class Step:
    """The pods after the controller has done all it can before its next wait."""
    wave: int               # how many waits came before this step
    time: Bounds
    old: int                # old pods the controller keeps (terminating ones not counted)
    new: int
    available: int          # old pods (all available) plus new pods that became available

    def to_dict(self) -> dict:
        return {"wave": self.wave, "time": self.time.to_dict(), "old": self.old,
                "new": self.new, "available": self.available}


@dataclass(frozen=True)
class Rollout:
    """Field names follow design.md section 8 (explain's JSON `rollout` object)."""
    strategy: str                          # RollingUpdate, Recreate, OnDelete
    replicas: int | None                   # a DaemonSet's is the assumed node count, else None
    max_surge: int | None
    max_unavailable: int | None
    max_pods: int | None
    min_available: int | None
    waves: int | None
    pod_ready: Bounds                      # one new pod available: Ready + minReadySeconds
    pod_stop: Bounds                       # one old pod gone after its deletion
    duration: Bounds | None                # None: no automatic rollout (OnDelete) or unknown count
    progress_deadline: int | None
    steps: tuple[Step, ...] = ()
    stall: str | None = None               # the wait that can outlast the progress deadline
    stall_certain: bool = False            # every run exceeds it (not just the slow end)
    notes: tuple[str, ...] = field(default=())
    unready: Bounds | None = None          # Recreate: no pod Ready from the old pods' deletion until
                                           # the first new one is (pod_stop + Ready, minReadySeconds
                                           # not counted: endpoints follow readiness); None otherwise

    def to_dict(self) -> dict:
        return {
            "strategy": self.strategy, "replicas": self.replicas,
            "max_surge": self.max_surge, "max_unavailable": self.max_unavailable,
            "max_pods": self.max_pods, "min_available": self.min_available, "waves": self.waves,
            "pod_ready": self.pod_ready.to_dict(), "pod_stop": self.pod_stop.to_dict(),
            "duration_earliest": None if self.duration is None else self.duration.to_dict()["earliest"],
            "duration_latest": None if self.duration is None else self.duration.to_dict()["latest"],
            "progress_deadline": self.progress_deadline,
            "steps": [s.to_dict() for s in self.steps],
            "stall": self.stall, "notes": list(self.notes),
        }


def times(bounds: Bounds, count: int) -> Bounds:
    """`count` waits of `bounds` one after another."""
    if count == 0:
        return Bounds(0, 0)
    latest = None if bounds.latest is None else bounds.latest * count
    return Bounds(bounds.earliest * count, latest)


# ----------------------------------------------------------------------------- Deployment

def new_rs_new_replicas(replicas: int, surge: int, old: int, new: int) -> int:
    """deployment_util.go NewRSNewReplicas (RollingUpdate): scale the new
    ReplicaSet up while all pods stay within replicas + maxSurge, never past
    replicas. (reconcileNewReplicaSet scales a new set above replicas down.)"""
    if new >= replicas:
        return replicas
    max_total = replicas + surge
    if old + new >= max_total:
        return new
    return new + min(max_total - old - new, replicas - new)


def scale_down_old_for_rolling_update(replicas: int, unavailable: int, old: int,
                                      available: int) -> int:
    """rolling.go scaleDownOldReplicaSetsForRollingUpdate: how many old pods go,
    keeping replicas - maxUnavailable available pods (old and new)."""
    min_available = replicas - unavailable
    if available <= min_available:
        return 0
    return min(old, available - min_available)


def reconcile_old_replica_sets(replicas: int, unavailable: int, old: int, new: int,
                               old_available: int, new_available: int) -> int:
    """rolling.go reconcileOldReplicaSets: the old pods kept. Scale-down is allowed
    only while allPods - minAvailable - newUnavailable > 0; unhealthy old pods
    go first (cleanupUnhealthyReplicas), then available ones."""
    if old == 0:
        return 0
    min_available = replicas - unavailable
    max_scaled_down = old + new - min_available - (new - new_available)
    if max_scaled_down <= 0:
        return old
    cleanup = min(max_scaled_down, old - old_available)
    old -= cleanup
    return old - scale_down_old_for_rolling_update(replicas, unavailable, old,
                                                   old_available + new_available)


def step_rolling_update(replicas: int, surge: int, unavailable: int) -> list[tuple[int, int, int]]:
    """The Deployment controller's loop, one entry (old, new, available) per wait.

    Between waits the controller repeats rolling.go rolloutRolling (scale the new
    ReplicaSet up, else the old ones down) until nothing changes; a wait lets
    every created new pod become available. Old pods are all available at the
    start; terminating pods are not counted, as the ReplicaSet status does not
    count them.
    """
    old, new, new_available = replicas, 0, 0
    states = []
    for _ in range(replicas + 2):
        while True:
            scaled = new_rs_new_replicas(replicas, surge, old, new)
            if scaled != new:
                new = scaled
                continue
            kept = reconcile_old_replica_sets(replicas, unavailable, old, new, old, new_available)
            if kept != old:
                old = kept
                continue
            break
        states.append((old, new, old + new_available))
        if old == 0 and new_available == replicas:
            return states
        if new_available == new:            # nothing to wait for: the rollout cannot move
            return states
        new_available = new
    return states


def deployment_rollout(replicas: int, strategy: "Strategy", pod_ready: Bounds,
                       pod_stop: Bounds) -> Rollout:
    """A Deployment's (or DeploymentConfig's) rollout from its strategy, with the
    API's defaults already applied (workloads.read_strategy), and the pod
    timeline's bounds. minReadySeconds is added to pod_ready here: a pod counts
    as available only after staying Ready that long (deployment_util.go
    IsPodAvailable). A DeploymentConfig's timeoutSeconds plays the progress
    deadline's part, per wait, but ends in a rollback."""
    available_after = pod_ready.shift(strategy.min_ready_seconds)
    deadline = strategy.progress_deadline
    deadline_name = "progressDeadlineSeconds"
    if deadline is None and strategy.timeout_seconds is not None:
        deadline, deadline_name = strategy.timeout_seconds, "timeoutSeconds"
    if strategy.type == "Recreate":
        return _recreate(replicas, pod_ready, available_after, pod_stop, deadline, deadline_name)
    surge, unavailable = deployment_fenceposts(strategy.max_surge, strategy.max_unavailable, replicas)
    states = step_rolling_update(replicas, surge, unavailable)
    steps = tuple(Step(i, times(available_after, i), old, new, available)
                  for i, (old, new, available) in enumerate(states[:MAX_STEPS]))
    waves = len(states) - 1
    stall, certain = _deadline_stall(available_after, deadline, deadline_name, "each wave waits for "
                                     "new pods to become available (Ready + minReadySeconds)")
    notes = []
    if replicas == 0:
        notes.append("replicas 0: a rollout creates no pods")
    return Rollout("RollingUpdate", replicas, surge, unavailable,
                   max(o + n for o, n, _ in states), min(a for _, _, a in states), waves,
                   available_after, pod_stop, times(available_after, waves), deadline,
                   steps, stall, certain, tuple(notes))


def _recreate(replicas: int, pod_ready: Bounds, available_after: Bounds, pod_stop: Bounds,
              deadline: int | None, deadline_name: str) -> Rollout:
    """recreate.go rolloutRecreate: scale every old ReplicaSet to 0, wait until no
    old pod is running (oldPodsRunning), then create all new pods at once. No pod
    is Ready from the old pods' deletion (their endpoints go at once) until the
    first new pod is Ready: pod_stop + pod_ready, told by `unready_span`."""
    start = Bounds(0, 0)
    gone = pod_stop
    done = gone + available_after
    unready = pod_stop + pod_ready
    steps = (Step(0, start, 0, 0, 0), Step(1, gone, 0, replicas, 0), Step(2, done, 0, replicas, replicas))
    stall, certain = _deadline_stall(available_after, deadline, deadline_name,
                                     "the new pods must become available after every old pod is gone")
    return Rollout("Recreate", replicas, 0, replicas, replicas, 0, 1 if replicas else 0,
                   available_after, pod_stop, done if replicas else start, deadline, steps,
                   stall, certain, (_recreate_note(unready),), unready=unready)


def unready_span(gap: Bounds) -> str | None:
    """How long no pod is Ready ("for 12-45 s", "for up to 30 s", "for at least
    12 s"), or None when the manifest gives no bound worth saying.

    An unknown duration (an app's startup or shutdown, an image pull) counts as 0
    for the earliest bound, so an earliest bound of 0 says nothing: "at least 0 s"
    was vacuous (issue 10, S095-S097). The span keeps only the bounds that carry
    information; with none, the caller says in words what the gap lasts. PL602's
    message and explain's Recreate note both call this."""
    if gap.earliest > 0:
        if gap.latest is None:
            return f"for at least {_s(gap.earliest)} s"
        if gap.latest == gap.earliest:
            return f"for {_s(gap.earliest)} s"
        return f"for {_s(gap.earliest)}-{_s(gap.latest)} s"
    if gap.latest is not None and gap.latest > 0:
        return f"for up to {_s(gap.latest)} s"
    return None


def _recreate_note(unready: Bounds) -> str:
    span = unready_span(unready)
    if span is None:
        return ("no pod is Ready from the old pods' deletion until the first new pod is Ready, for as "
                "long as they take to stop and it takes to start (unknown here: state them with "
                "--assume NAME.startup=..., NAME.shutdown=...)")
    return f"no pod is Ready {span}: from the old pods' deletion until the first new pod is Ready"


def _deadline_stall(wait: Bounds, deadline: int | None, name: str, what: str) -> tuple[str | None, bool]:
    """DeploymentTimedOut: the deadline counts from the last progress, so a rollout
    stalls when one wait without progress is longer than progressDeadlineSeconds."""
    if deadline is None:
        return None, False
    if wait.earliest > deadline:
        return (f"{what}: at least {_s(wait.earliest)} s, more than {name} {deadline}: "
                f"every rollout {_FAILS[name]}"), True
    if wait.latest is not None and wait.latest > deadline:
        return (f"{what}: up to {_s(wait.latest)} s, more than {name} {deadline}: "
                f"a slow start {_FAILS[name]}"), False
    return None, False


# ----------------------------------------------------------------------------- StatefulSet

def statefulset_max_unavailable(value, replicas: int) -> int:
    """stateful_set_control.go getStatefulSetMaxUnavailable: default 1, a
    percentage rounds down, and never less than 1."""
    scaled = scaled_value(1 if value is None else value, replicas, False)
    if scaled is None:
        raise RolloutError("maxUnavailable must be an integer or a percentage")
    return max(1, scaled)


def statefulset_rollout(replicas: int, strategy: "Strategy", partition: int, parallel: bool,
                        pod_ready: Bounds, pod_stop: Bounds, version: tuple[int, int]) -> Rollout:
    """stateful_set_control.go updateStatefulSet: pods from the highest ordinal
    down to `partition` are deleted, and each recreated one must be Running and
    Ready (and available for minReadySeconds from 1.25) before the next goes.
    With maxUnavailable (beta and on from 1.35) up to that many go at once; under
    OrderedReady the recreated ones still start one at a time, lowest first."""
    min_ready = strategy.min_ready_seconds if version >= STATEFULSET_MIN_READY_SINCE else 0
    available_after = pod_ready.shift(min_ready)
    if strategy.type == "OnDelete":
        return Rollout("OnDelete", replicas, None, None, replicas, replicas, 0, available_after, pod_stop,
                       None, None, notes=("OnDelete: the controller replaces no pod by itself; each "
                                          "pod gets the new template when someone deletes it",))
    notes: list[str] = []
    batch = 1
    if strategy.max_unavailable not in (None, 1):
        if version >= STATEFULSET_MAX_UNAVAILABLE_SINCE:
            batch = statefulset_max_unavailable(strategy.max_unavailable, replicas)
        else:
            notes.append("maxUnavailable is ignored before 1.35 unless the MaxUnavailableStatefulSet "
                         "feature gate (alpha) is on: pods are replaced one at a time")
    partition = min(max(partition, 0), replicas)
    count = replicas - partition
    if partition:
        notes.append(f"partition {partition}: ordinals below it keep the old template")
    batches = math.ceil(count / batch) if count else 0
    per_batch = pod_stop + (available_after if parallel or batch == 1 else times(available_after, batch))
    steps = _batched_steps(replicas, count, batch, per_batch, surge=False)
    return Rollout("RollingUpdate", replicas, None, batch, replicas,
                   max(0, replicas - batch) if count else replicas,
                   batches, available_after, pod_stop, times(per_batch, batches), None,
                   steps, None, False, tuple(notes))


def _batched_steps(total: int, count: int, batch: int, per_batch: Bounds, surge: bool) -> tuple[Step, ...]:
    """One step per wait, as the Deployment's: the pods while that batch is
    being replaced (without surge the batch is unavailable; with surge its new
    pods run beside the old ones), then the final state."""
    steps, done, time = [], 0, Bounds(0, 0)
    wave = 0
    while done < count and len(steps) < MAX_STEPS - 1:
        size = min(batch, count - done)
        if surge:
            steps.append(Step(wave, time, total - done, done + size, total))
        else:
            steps.append(Step(wave, time, total - done - size, done, total - size))
        done += size
        wave += 1
        time = time + per_batch
    steps.append(Step(wave, times(per_batch, math.ceil(count / batch) if count else 0),
                      total - count, count, total))
    return tuple(steps)


# ----------------------------------------------------------------------------- DaemonSet

def daemonset_rollout(strategy: "Strategy", nodes: int | None, pod_ready: Bounds,
                      pod_stop: Bounds) -> Rollout:
    """daemon/update.go rollingUpdate over `nodes` nodes (an assumption: the
    manifest cannot say). util.go UnavailableCount and SurgeCount scale
    percentages of the node count rounding up. Without surge a node's old pod is
    deleted and the new one created once it is gone; with surge the new pod
    starts beside the old one, which is deleted once the new one is available."""
    available_after = pod_ready.shift(strategy.min_ready_seconds)
    if strategy.type == "OnDelete":
        return Rollout("OnDelete", nodes, None, None, nodes, nodes, 0, available_after, pod_stop, None, None,
                       notes=("OnDelete: the controller replaces no pod by itself; a node gets the new "
                              "pod when someone deletes the old one",))
    raw_surge = 0 if strategy.max_surge is None else strategy.max_surge
    raw_unavailable = 1 if strategy.max_unavailable is None else strategy.max_unavailable
    surging = scaled_value(raw_surge, 100, True) not in (0, None)
    per_node = available_after + pod_stop
    if nodes is None:
        batch_text = f"maxSurge {raw_surge}" if surging else f"maxUnavailable {raw_unavailable}"
        return Rollout("RollingUpdate", None, None, None, None, None, None, available_after, pod_stop,
                       None, None, notes=(f"node count unknown (state it with --assume nodes=N): "
                                          f"ceil(nodes / {batch_text}) waves of {_span(per_node)} s each",))
    surge = scaled_value(raw_surge, nodes, True) or 0
    unavailable = scaled_value(raw_unavailable, nodes, True) or 0
    batch = max(1, surge if surge else unavailable)
    batches = math.ceil(nodes / batch) if nodes else 0
    steps = _batched_steps(nodes, nodes, batch, per_node, surge=bool(surge))
    return Rollout("RollingUpdate", nodes, surge, unavailable, nodes + surge,
                   nodes - (0 if surge else min(unavailable, nodes)), batches, available_after, pod_stop,
                   times(per_node, batches), None, steps)


# ----------------------------------------------------------------------------- disruptions

def pdb_allowed_disruptions(pdb_spec: dict, pods: int) -> int | None:
    """disruption.go getExpectedScale/computeDesiredHealthy: how many of `pods`
    healthy pods the Eviction API may take. minAvailable: an integer as is, a
    percentage of the expected count rounded up; maxUnavailable: expected minus
    its scaled value (rounded up). disruptionsAllowed = healthy - desiredHealthy,
    never below 0. None when the budget has neither field or a bad value."""
    if "maxUnavailable" in pdb_spec and pdb_spec.get("maxUnavailable") is not None:
        unavailable = scaled_value(pdb_spec.get("maxUnavailable"), pods, True)
        if unavailable is None:
            return None
        desired = pods - unavailable
    elif pdb_spec.get("minAvailable") is not None:
        desired = scaled_value(pdb_spec.get("minAvailable"), pods, True)
        if desired is None:
            return None
    else:
        return None
    return max(0, pods - desired)


# ----------------------------------------------------------------------------- helpers

def _int(value, default):
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    return value


def _s(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _span(bounds: Bounds) -> str:
    latest = "unbounded" if bounds.latest is None else _s(bounds.latest)
    return f"{_s(bounds.earliest)}-{latest}"


# ----------------------------------------------------------------------------- from a workload

def pod_stop_bounds(timeline) -> Bounds:
    """One pod gone after its deletion: the last container's exit in the pod
    timeline's shutdown (each bounded by its SIGKILL), counted from t0."""
    exits = [t.exited for t in timeline.containers.values() if t.exited is not None]
    if not exits:
        return Bounds(0, 0)
    latest = None if any(e.latest is None for e in exits) else max(e.latest for e in exits)
    return Bounds(max(e.earliest for e in exits), latest)


def rollout_for(workload, timeline, nodes: int | None = None) -> Rollout | None:
    """The rollout of a Deployment, DeploymentConfig, StatefulSet or DaemonSet
    (None for other kinds, a Custom strategy, or a value the controller cannot
    read: the API rejects those and other rules say so)."""
    if workload is None or workload.kind not in ROLLOUT_KINDS:
        return None
    strategy = workload.strategy
    if strategy is None or strategy.type not in ("RollingUpdate", "Recreate", "OnDelete"):
        return None
    spec = workload.obj.get("spec") if isinstance(workload.obj, dict) else None
    spec = spec if isinstance(spec, dict) else {}
    replicas = _int(spec.get("replicas"), 1)
    ready, stop = timeline.ready, pod_stop_bounds(timeline)
    try:
        if workload.kind in ("Deployment", "DeploymentConfig"):
            rollout = deployment_rollout(replicas, strategy, ready, stop)
        elif workload.kind == "StatefulSet":
            raw = spec.get("updateStrategy") if isinstance(spec.get("updateStrategy"), dict) else {}
            rolling = raw.get("rollingUpdate") if isinstance(raw.get("rollingUpdate"), dict) else {}
            rollout = statefulset_rollout(replicas, strategy, _int(rolling.get("partition"), 0),
                                          spec.get("podManagementPolicy") == "Parallel", ready, stop,
                                          timeline.kubernetes_version)
        else:
            rollout = daemonset_rollout(strategy, nodes, ready, stop)
    except RolloutError:
        return None
    never = getattr(timeline, "never_ready", None)
    if never and rollout.waves:
        notes = rollout.notes
        if rollout.unready is not None:     # the Recreate note's span would claim an end
            notes = ("no pod is Ready from the old pods' deletion on: a new pod can never be Ready",)
        return replace(rollout, duration=None, stall_certain=True, unready=None, notes=notes,
                       stall=f"the first wave never ends: a new pod can never be Ready ({never})")
    return rollout
