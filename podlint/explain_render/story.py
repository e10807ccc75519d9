"""The timeline in plain sentences: what a person needs to know about why a pod
starts late, is restarted, or loses requests on shutdown, without reading the
kubelet source. Shared by the text and html renderers; returns plain strings
(the renderers escape them).
"""
from __future__ import annotations

from podlint.explain_render import fmt_range, fmt_time


def _r(bounds) -> str:
    return fmt_range(bounds.earliest, bounds.latest)


def sentences(item) -> list[str]:
    """A few sentences per workload, in the order things happen."""
    timeline = item.timeline
    out: list[str] = []
    timings = timeline.containers
    names = [name for name, _ in item.containers]
    inits = [timings[n] for n in dict.fromkeys(names) if n in timings and timings[n].role == "init"]
    for timing in inits:
        run = timeline.assumptions.get(timing.name, "run") if timeline.assumptions else None
        if run is None:
            out.append(f'Init container "{timing.name}" must exit 0 before anything after it starts; '
                       f"its run time is unknown (state it with --assume {timing.name}.run=30s).")
        else:
            out.append(f'Init container "{timing.name}" runs before anything after it starts '
                       f"(assumed {fmt_time(run)} s).")
    for name in dict.fromkeys(names):
        timing = timings.get(name)
        if timing is None or timing.role == "init":
            continue
        label = f'{"Sidecar" if timing.role == "sidecar" else "Container"} "{name}"'
        if timing.post_start is not None:
            blocked = "the next init container" if timing.role == "sidecar" else "every later container"
            out.append(f"{label} runs a postStart hook ({_dur(timing.post_start)}); {blocked} waits "
                       "for it, and the kubelet has no timeout for hooks.")
        if timing.never:
            out.append(f"{label}: {timing.never}.")
        if timing.startup_budget_guaranteed is not None:
            out.append(f"{label} must pass its startup probe within "
                       f"{fmt_time(timing.startup_budget_guaranteed)} s of starting to be safe "
                       f"({fmt_time(timing.startup_budget_max)} s at most); otherwise the kubelet "
                       "kills and restarts it. Liveness and readiness probes wait for that success.")
        if timing.hang_to_restart is not None and timing.liveness_failure_window is not None:
            out.append(f"If {label.lower()[0]}{label[1:]} hangs, its liveness probe gets it restarted "
                       f"{_r(timing.hang_to_restart)} later: {fmt_time(timing.liveness_failure_window)} s "
                       f"of failed checks (+ up to one period), then a stop with "
                       f"{timing.kill_grace} s of grace before SIGKILL.")
        elif timing.liveness_restart_earliest is not None:
            out.append(f"{label} is killed by its startup probe from "
                       f"{fmt_time(timing.liveness_restart_earliest.earliest)} s after admission "
                       "if it never passes the check.")
        if "readiness" not in timing.first_probe and timing.ready is not None and not timing.never:
            out.append(f"{label} has no readinessProbe: it counts as ready as soon as the kubelet "
                       "sees it running" + (" and its startup probe succeeded." if timing.startup_success else "."))
    ready = timeline.ready
    out.append(f"The pod is Ready {fmt_range(ready.earliest, ready.latest)} after admission"
               + (" (the latest bound needs assumptions: --assume NAME.startup=..., image-pull=...)."
                  if ready.latest is None else "."))
    grace = timeline.grace
    kill_grace = getattr(timeline, "kill_grace", max(1, grace))
    out.append(f"On deletion (t0 = when the kubelet starts the kill, up to ~2 s after the API "
               f"delete) every container's preStop starts at once, together with the removal of "
               f"the pod's endpoints; the grace period of {kill_grace} s counts from t0, preStop included.")
    for name in dict.fromkeys(names):
        timing = timings.get(name)
        if timing is None or timing.role == "init":
            continue
        label = f'"{name}"'
        signal = "stop signal" if timing.role == "sidecar" else "SIGTERM"
        if timing.pre_stop is None:
            out.append(f"{label} gets {signal} at {_r(timing.stop_signal)}, SIGKILL at "
                       f"{_r(timing.sigkill)} (no preStop: requests still routed to it may fail).")
        else:
            out.append(f"{label} runs its preStop ({_dur(timing.pre_stop)}), gets {signal} at "
                       f"{_r(timing.stop_signal)} and SIGKILL at {_r(timing.sigkill)}.")
    return out


def _dur(bounds) -> str:
    if bounds.latest is None:
        return "duration unknown" if bounds.earliest == 0 else f"at least {fmt_time(bounds.earliest)} s"
    return fmt_range(bounds.earliest, bounds.latest)
