"""Shutdown: from t0 (the kubelet starts the kill) to every container's SIGKILL
deadline (lifecycle-semantics.md 3.1-3.4): preStop hooks at t0, the stop signal
after them, SIGKILL after the remaining grace (at least 2 s), and on 1.29+
sidecars stopped after the main containers in reverse order."""
from __future__ import annotations

from typing import TYPE_CHECKING

from podlint.config import format_version
from podlint.shell import pid1_shell
from podlint.timeline.bounds import ZERO, Bounds, _add, _bmax, _num
from podlint.timeline.versions import MIN_KILL_GRACE, PRESTOP_WITHIN_GRACE_SINCE, SIDECAR_ORDER_SINCE

if TYPE_CHECKING:
    from podlint.model import Container

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




class ShutdownSteps:
    """The shutdown half of the builder (mixed into podlint.timeline.build._Builder)."""

    @property
    def sidecar_names(self) -> set[str]:
        return {c.name for c in self.pod.sidecars}

    def build_shutdown(self) -> None:
        pod = self.pod
        D = self.shutdown
        grace = self.pod_grace()
        g = max(1, grace)
        lag = ("t0 (the kubelet starts the kill) may lag the API deletion by up to ~2 s, "
               "more if a container start or postStart is still in progress")
        source = "explicit" if pod.grace_explicit else "default"
        extra = " (0 is floored to 1 s on deletion)" if grace == 0 else ""
        self.add(D, "deletion-requested", None, ZERO, (),
                 f"grace {grace} s ({source}){extra}; {lag}")
        self.add(D, "endpoints-removal", None, ZERO, ("deletion-requested",),
                 "endpoints marked terminating now; propagation to proxies not modelled")
        results: dict[int, tuple[Bounds, Bounds, Bounds]] = {}
        # Only containers that can be running are killed: behind a sidecar whose
        # startup probe never succeeds nothing else ever starts (startup.py).
        running = set(self.timings)
        mains = [c for c in pod.containers if c.name in running]
        sidecars = [c for c in pod.sidecars if c.name in running]
        # Every running container's preStop starts at t0: their events in spec order.
        self.hooks = {id(c): self.pre_stop_events(c, g) for c in sidecars + mains}
        # Main containers: all killed in parallel at t0.
        for container in mains:
            stop, kill, exited = self.kill_one(container, g, ("deletion-requested",), "stop-signal")
            results[id(container)] = (stop, kill, exited)
        ordered = self.version >= SIDECAR_ORDER_SINCE
        later_exit: list[Bounds] = [results[id(c)][2] for c in mains]
        later_refs: list[str] = [f"sigkill-deadline:{c.name}" for c in mains]
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

    def swallowed_detail(self, container: "Container", kill: bool = False) -> str:
        """A shell kept as PID 1 drops the stop signal (podlint.shell, design.md 9)."""
        found = pid1_shell(container, self.pod)
        if found is None:
            return ""
        if kill:
            return f"; the container exits here ({found.shell} as PID 1 dropped the stop signal)"
        return (f"; delivered to the shell, which ignores it ({found.shell} stays PID 1: "
                f"{found.reason}): exits at SIGKILL")

    def exit_bounds(self, container: "Container", stop: Bounds, kill: Bounds) -> Bounds:
        if pid1_shell(container, self.pod) is not None:
            return kill                 # the stop signal is dropped: only SIGKILL ends it
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
                 + signal + self.swallowed_detail(container))
        self.add(D, "sigkill-deadline", container.name, kill,
                 ("deletion-requested", f"{stop_event}:{container.name}"),
                 self.kill_detail(pre, g) + self.swallowed_detail(container, kill=True))
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
                 f"after its preStop and once the main containers{' and later sidecars' if any(r.split(':', 1)[-1] in self.sidecar_names for r in later_refs) else ''} "
                 f"have exited (reverse order), at the latest when the grace ({g} s) runs out"
                 + self.swallowed_detail(container))
        self.add(D, "sigkill-deadline", container.name, kill,
                 ("deletion-requested", f"sidecar-stop-signal:{container.name}"),
                 f"remaining grace, at least 2 s after its stop signal (whole-second truncation "
                 f"may add up to ~2 s after t0 + {g})" + self.swallowed_detail(container, kill=True))
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


