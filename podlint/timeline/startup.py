"""Startup: from pod admission to every container Ready (lifecycle-semantics.md
1-2): init containers one at a time, sidecars gating the next init container,
main containers started in spec order each after the previous postStart, then
probe windows, startup success, readiness and the earliest probe kill."""
from __future__ import annotations

from typing import TYPE_CHECKING

from podlint.config import format_version
from podlint.timeline.bounds import UNKNOWN, ZERO, Bounds, _bmax, _dur, _fmt, _num
from podlint.timeline.events import ContainerTiming
from podlint.timeline.probes import (decision_window, first_run, first_run_window, hang_window, kill_decided,
                                     port_problem, startup_budget)
from podlint.timeline.shutdown import kill_sequence
from podlint.timeline.versions import (PROBE_GRACE_SINCE, READINESS_TRIGGER_SINCE, SIDECARS_SINCE,
                                       STARTUP_PROBE_SINCE)

if TYPE_CHECKING:
    from podlint.model import Container


class StartupSteps:
    """The startup half of the builder (mixed into podlint.timeline.build._Builder).

    A probe whose result the kubelet always discards (2.3) makes some events
    impossible: they are left out of the timeline, never given a time, and the
    reason is kept in ContainerTiming.never and Timeline.never_ready."""

    def build_startup(self) -> Bounds:
        pod = self.pod
        S = self.startup
        self.add(S, "pod-scheduled", None, ZERO, (),
                 "the kubelet admits the pod; probe workers start ticking now (2.3)")
        cursor, cursor_ref = ZERO, "pod-scheduled"
        for container in pod.init_containers:
            if container.role == "sidecar":
                gate = self.sidecar(container, cursor, cursor_ref)
                if gate is None:
                    later = [c.name for c in pod.init_containers[pod.init_containers.index(container) + 1:]]
                    later += [c.name for c in pod.containers]
                    if later:
                        self.notes.append(f"{', '.join(later)}: never started, since sidecar "
                                          f"{container.name} never passes its startup probe")
                    self.never_ready = (f'sidecar "{container.name}" never passes its startup probe, '
                                        "so nothing after it starts")
                    return Bounds(cursor.earliest, None)
                cursor, cursor_ref = gate
            else:
                cursor, cursor_ref = self.init_container(container, cursor, cursor_ref)
        starts: list[tuple["Container", Bounds, Bounds | None, Bounds]] = []
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
            starts.append((container, started, post, pull))
        # The kubelet sees the main containers running at the next sync, after the
        # whole start loop (every pull and postStart of this sync) has returned:
        # for each container, h - s is its own postStart plus the pulls and
        # postStarts of the containers started after it (2.4).
        seen, seen_ref = cursor, cursor_ref
        blocks: list[Bounds] = []
        tail = ZERO
        for container, started, post, pull in reversed(starts):
            blocks.append(tail + (post if post is not None else ZERO))
            tail = tail + pull + (post if post is not None else ZERO)
        blocks.reverse()
        ready_bounds: list[Bounds | None] = [self.partial[c.name].get("ready") for c in pod.sidecars
                                             if c.name in self.partial]
        ready_refs = [f"container-ready:{c.name}" for c in pod.sidecars
                      if self.partial.get(c.name, {}).get("ready") is not None]
        for (container, started, post, _), block in zip(starts, blocks):
            ready = self.probes(container, started, seen, seen_ref, post, block)
            ready_bounds.append(ready)
            if ready is not None:
                ready_refs.append(f"container-ready:{container.name}")
        never = [t for t in self.timings.values() if t.role != "init" and t.never and t.ready is None]
        known = [b for b in ready_bounds if b is not None]
        pod_ready = _bmax(*known) if known else cursor
        for container, *_ in starts:
            self.restart_event(container)
        if never:
            self.never_ready = (f"the {never[0].never.split(' ', 1)[0]} probe of container "
                                f'"{never[0].name}" errors on every run')
            return Bounds(pod_ready.earliest, None)
        detail = "every main container and sidecar ready"
        gates = pod.raw.get("readinessGates") if isinstance(pod.raw, dict) else None
        if isinstance(gates, list) and gates:
            pod_ready = Bounds(pod_ready.earliest, None)
            detail += f"; plus {len(gates)} readinessGates condition(s) set by another controller"
        self.add(S, "pod-ready", None, pod_ready, tuple(ready_refs) or (cursor_ref,), detail)
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
            kill_grace=self.pod_grace(), hang_to_restart=None,
            pre_stop=None, stop_signal=ZERO, sigkill=ZERO, assumed_startup=self.assumed(container, "startup"),
            index=container.index, completed=completed))
        return completed, f"init-completed:{container.name}"

    def sidecar(self, container: "Container", cursor: Bounds,
                cursor_ref: str) -> tuple[Bounds, str] | None:
        """A sidecar's start and the moment the next init container may start
        (None: never, its startup probe can never succeed)."""
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
        ready = self.probes(container, started, seen, seen_ref, post, post if post is not None else ZERO)
        self.partial[container.name]["ready"] = ready
        self.restart_event(container)
        timing = self.timings.get(container.name)
        startup = self.active(container.startup_probe)
        if startup is not None and timing is not None and timing.startup_success is None:
            return None                 # the startup probe never succeeds: the next step never comes
        if timing is not None and timing.startup_success is not None:
            gate, gate_ref = timing.startup_success, f"startup-probe-first:{container.name}"
            detail = "started, postStart returned and startup probe succeeded: the next init container may start"
        else:
            gate, gate_ref = seen, seen_ref
            detail = ("started (and postStart returned): no startupProbe, so the next init container "
                      "starts before this one is ready")
        self.add(S, "sidecar-ready", container.name, gate, (gate_ref,), detail)
        return gate, f"sidecar-ready:{container.name}"

    def probes(self, container: "Container", started: Bounds, seen: Bounds, seen_ref: str,
               post: Bounds | None, block: Bounds) -> Bounds | None:
        """Probe windows, startup success and readiness of one main container or
        sidecar; its container-ready time, or None when it can never be ready."""
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
        gate: Bounds | None = seen
        gate_ref = seen_ref
        startup_success = None
        budget_g = budget_m = None
        first_check = None
        restart = None
        if startup is not None:
            d, p, T, F = startup.initial_delay, startup.period, startup.timeout, startup.failure_threshold
            e0 = first_run(seen, started, d)
            window = first_run_window(e0, p)
            first["startup"] = window
            problem = port_problem(container, startup)
            waits = (f"max(seen running, start + {d})" if block.earliest <= d else
                     f"seen running (start + {_fmt(block.earliest)} s or later: postStart and later "
                     "starts of this sync)")
            if problem:
                never = (f"{problem}: it never succeeds and never kills, so liveness and readiness "
                         "probes never run and the container is never ready")
                self.add(S, "startup-probe-first", name, window, (seen_ref,),
                         f"first run in [{waits}, + {p}); {never}")
                gate = None
            else:
                budget_g, budget_m = startup_budget(block, d, p, F)
                first_check = _num(max(block.earliest, d))
                self.add(S, "startup-probe-first", name, window, (seen_ref,),
                         f"first run in [{waits}, + {p}); liveness and readiness wait for its success")
                deadline = kill_decided(e0, p, T, F)
                self.add(S, "startup-probe-deadline", name, deadline, (f"startup-probe-first:{name}",),
                         f"killed and restarted if it has not succeeded after {F} failures {p} s apart "
                         f"(budget: an app up within {_fmt(budget_g)} s of its start is safe, "
                         + (f"{_fmt(budget_m)} s at most)" if budget_m is not None else
                            "more if later starts delay the first run)"))
                restart = deadline
                if app_up is not None:
                    base = _bmax(e0, app_up)
                    startup_success = Bounds(base.earliest, _add_l(base.latest, p + T))
                else:
                    startup_success = Bounds(window.earliest, None)
                gate = startup_success
            gate_ref = f"startup-probe-first:{name}"
        readiness = container.readiness_probe
        liveness = container.liveness_probe
        on_trigger = self.version >= READINESS_TRIGGER_SINCE
        ready: Bounds | None = None
        ready_event = None
        if gate is None:
            pass                        # the startup probe never succeeds: nothing else runs
        elif readiness is not None:
            d, p, T, S_ = readiness.initial_delay, readiness.period, readiness.timeout, readiness.success_threshold
            e0 = first_run(gate, started, d)
            window = first_run_window(e0, p)
            first["readiness"] = window
            problem = port_problem(container, readiness)
            when = (f"{format_version(READINESS_TRIGGER_SINCE)}+: at the sync that sees it "
                    f"running (or a tick), else within {p} s" if on_trigger
                    else f"on a tick within {p} s")
            self.add(S, "readiness-probe-first", name, window, (gate_ref,),
                     f"{when} after max(seen running, start + {d})"
                     + (f"; {problem}: it never succeeds, so the container is never ready" if problem else ""))
            if problem:
                never = never or f"{problem}: it never succeeds, so the container is never ready"
            else:
                base = _bmax(e0, app_up) if app_up is not None else e0
                earliest = _num(base.earliest + (S_ - 1) * p)
                latest = _add_l(base.latest, S_ * p + T) if app_up is not None else None
                ready = Bounds(earliest, latest)
                ready_event = (ready, (f"readiness-probe-first:{name}",),
                               f"first readiness success (successThreshold {S_})"
                               + ("" if app_up is not None else "; app startup unknown"))
        else:
            ready = gate
            ready_event = (ready, (gate_ref,), "no readinessProbe: ready once seen running"
                           + (" and the startup probe succeeded" if startup is not None else ""))
        decision = hung = None
        if liveness is not None and gate is not None:
            d, p, T, F = liveness.initial_delay, liveness.period, liveness.timeout, liveness.failure_threshold
            e0 = first_run(gate, started, d)
            window = first_run_window(e0, p)
            first["liveness"] = window
            problem = port_problem(container, liveness)
            self.add(S, "liveness-probe-first", name, window, (gate_ref,),
                     f"on a tick within {p} s after max(seen running, start + {d})"
                     + (f"; {problem}: it never restarts the container" if problem else ""))
            if not problem:
                decision = decision_window(p, T, F)
                hung = hang_window(p, T, F)
                if restart is None:
                    restart = kill_decided(e0, p, T, F)
        if ready_event is not None:
            self.add(S, "container-ready", name, *ready_event)
        kill_grace = self.kill_grace(container)
        hang = None
        if hung is not None:
            pre, _ = self.hook_duration(container, "preStop")
            _, kill, _ = kill_sequence(pre, kill_grace, self.version, deletion=False)
            hang = Bounds(_num(hung.earliest + kill.earliest), _add_l(kill.latest, hung.latest))
        self.remember(ContainerTiming(
            name=name, role=container.role, started=started, running_seen=seen, post_start=post,
            first_probe=first, startup_budget_guaranteed=budget_g, startup_budget_max=budget_m,
            ready=ready, liveness_restart_earliest=restart,
            kill_grace=kill_grace, hang_to_restart=hang, pre_stop=None, stop_signal=ZERO,
            sigkill=ZERO, assumed_startup=A, index=container.index, startup_success=startup_success,
            never=never, liveness_decision=decision, hang_decision=hung, seen_after_start=block,
            startup_first_check=first_check))
        return ready

    def restart_event(self, container: "Container") -> None:
        timing = self.timings.get(container.name)
        if timing is None or timing.liveness_restart_earliest is None \
                or self.pod.container(container.name) is not container:
            return
        liveness = container.liveness_probe
        startup = self.active(container.startup_probe)
        if startup is not None and timing.startup_budget_guaranteed is not None:
            window = decision_window(startup.period, startup.timeout, startup.failure_threshold)
            detail = (f"if the startup check fails from its first run x: killed in [x + "
                      f"{_fmt(window.earliest)}, x + {_fmt(window.latest)})")
            after = f"startup-probe-first:{container.name}"
        else:
            window = decision_window(liveness.period, liveness.timeout, liveness.failure_threshold)
            hung = hang_window(liveness.period, liveness.timeout, liveness.failure_threshold)
            detail = (f"in [x + {_fmt(window.earliest)}, x + {_fmt(window.latest)}) if every "
                      f"liveness run fails from x (>= first run); in [x + {_fmt(hung.earliest)}, "
                      f"x + {_fmt(hung.latest)}) if every run times out ({_fmt(liveness.timeout)} s)")
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


def _add_l(latest: float | None, seconds: float) -> float | None:
    """A latest bound plus a known number of seconds (None stays unbounded)."""
    return None if latest is None else _num(latest + seconds)
