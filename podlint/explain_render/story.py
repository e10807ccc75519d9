"""The timeline in plain sentences: what a person needs to know about why a pod
starts late, is restarted, or loses requests on shutdown, without reading the
kubelet source. Shared by the text and html renderers; returns plain strings
(the renderers escape them).

Every number in a sentence is read from the same ContainerTiming and Timeline
fields the table's events were built from (podlint.timeline), never recomputed
here, so a sentence cannot contradict the table: tests/test_story.py checks each
kind of statement against the JSON events. A probe that can never succeed
(Timeline.never_ready, ContainerTiming.never) gets a "never" sentence and no
predicted time.
"""
from __future__ import annotations

from dataclasses import dataclass

from podlint.explain_render import fmt_range, fmt_time


@dataclass(frozen=True)
class Statement:
    """One sentence and what it is about (tests match it against the table)."""
    kind: str                   # init | post-start | never | startup-budget | startup-kill |
                                # liveness-hang | no-readiness | pod-ready | deletion | stop
    container: str | None
    text: str


def _r(bounds) -> str:
    return fmt_range(bounds.earliest, bounds.latest)


def _label(timing) -> str:
    return f'{"Sidecar" if timing.role == "sidecar" else "Container"} "{timing.name}"'


def statements(item) -> list[Statement]:
    """The sentences of one workload, in the order things happen."""
    timeline = item.timeline
    out: list[Statement] = []
    timings = timeline.containers
    names = list(dict.fromkeys(name for name, _ in item.containers))
    for name in names:
        timing = timings.get(name)
        if timing is None or timing.role != "init":
            continue
        run = timeline.assumptions.get(timing.name, "run") if timeline.assumptions else None
        if run is None:
            text = (f'Init container "{timing.name}" must exit 0 before anything after it starts; '
                    f"its run time is unknown (state it with --assume {timing.name}.run=30s).")
        else:
            text = (f'Init container "{timing.name}" runs before anything after it starts '
                    f"(assumed {fmt_time(run)} s).")
        out.append(Statement("init", name, text))
    for name in names:
        timing = timings.get(name)
        if timing is None or timing.role == "init":
            continue
        out.extend(_container_statements(timing))
    out.append(Statement("pod-ready", None, _ready_sentence(timeline)))
    kill_grace = getattr(timeline, "kill_grace", max(1, timeline.grace))
    out.append(Statement("deletion", None,
                         f"On deletion (t0 = when the kubelet starts the kill, up to ~2 s after the API "
                         f"delete) every container's preStop starts at once, together with the removal of "
                         f"the pod's endpoints; the grace period of {kill_grace} s counts from t0, preStop "
                         "included."))
    for name in names:
        timing = timings.get(name)
        if timing is None or timing.role == "init":
            continue
        label = f'"{name}"'
        signal = "stop signal" if timing.role == "sidecar" else "SIGTERM"
        if timing.pre_stop is None:
            text = (f"{label} gets {signal} at {_r(timing.stop_signal)}, SIGKILL at "
                    f"{_r(timing.sigkill)} (no preStop: requests still routed to it may fail).")
        else:
            text = (f"{label} runs its preStop ({_dur(timing.pre_stop)}), gets {signal} at "
                    f"{_r(timing.stop_signal)} and SIGKILL at {_r(timing.sigkill)}.")
        stop = timeline.event("sidecar-stop-signal" if timing.role == "sidecar" else "stop-signal", name)
        if stop is not None and "which ignores it" in stop.detail:
            text += (f" Its {signal} goes to a shell kept as PID 1, which drops it: it ends only at "
                     "SIGKILL (PL307).")
        if stop is not None and getattr(stop, "implied", False):
            text = text.replace(label, f"{label} (implied: injected, not in the manifest)", 1)
        out.append(Statement("stop", name, text))
    return out


def _container_statements(timing) -> list[Statement]:
    name, label = timing.name, _label(timing)
    out: list[Statement] = []
    if timing.post_start is not None:
        blocked = "the next init container" if timing.role == "sidecar" else "every later container"
        out.append(Statement("post-start", name,
                             f"{label} runs a postStart hook ({_dur(timing.post_start)}); {blocked} "
                             "waits for it, and the kubelet has no timeout for hooks."))
    if timing.never:
        out.append(Statement("never", name, f"{label}: {timing.never}."))
    if timing.startup_budget_guaranteed is not None:
        waits = timing.seen_after_start
        why = ""
        if waits is not None and waits.earliest > 0 and timing.startup_first_check is not None \
                and waits.earliest >= timing.startup_first_check:
            why = (f"; no check runs before {fmt_time(waits.earliest)} s after its start, the wait for "
                   "postStart and the starts after it")
        at_most = (f"{fmt_time(timing.startup_budget_max)} s at most" if timing.startup_budget_max is not None
                   else "more if later starts delay the first check")
        out.append(Statement("startup-budget", name,
                             f"{label} must pass its startup probe within "
                             f"{fmt_time(timing.startup_budget_guaranteed)} s of starting to be safe "
                             f"({at_most}{why}); otherwise the kubelet kills and restarts it. Liveness "
                             "and readiness probes wait for that success."))
        if timing.liveness_restart_earliest is not None:
            out.append(Statement("startup-kill", name,
                                 f"{label} is killed by its startup probe from "
                                 f"{fmt_time(timing.liveness_restart_earliest.earliest)} s after admission "
                                 "if it never passes the check."))
    decision = getattr(timing, "hang_decision", None)
    if timing.hang_to_restart is not None and decision is not None:
        # A hang, not any failure: each check waits its whole timeout (probes.hang_window),
        # so the decision is T later than for a refused connection (issue 10, S059).
        out.append(Statement("liveness-hang", name,
                             f"If {label[0].lower()}{label[1:]} hangs, its liveness probe decides to "
                             f"restart it {_r(decision)} later (once failureThreshold checks in a row have "
                             "timed out), then stops it with "
                             f"{timing.kill_grace} s of grace before SIGKILL: "
                             f"restarted {_r(timing.hang_to_restart)} after the hang."))
    if "readiness" not in timing.first_probe and timing.ready is not None:
        out.append(Statement("no-readiness", name,
                             f"{label} has no readinessProbe: it counts as ready as soon as the kubelet "
                             "sees it running" + (" and its startup probe succeeded."
                                                  if timing.startup_success else ".")))
    return out


def _ready_sentence(timeline) -> str:
    never = getattr(timeline, "never_ready", None)
    if never:
        return f"The pod never becomes Ready: {never}."
    ready = timeline.ready
    return (f"The pod is Ready {fmt_range(ready.earliest, ready.latest)} after admission"
            + (" (the latest bound needs assumptions: --assume NAME.startup=..., image-pull=...)."
               if ready.latest is None else "."))


def sentences(item) -> list[str]:
    """A few sentences per workload, in the order things happen."""
    return [statement.text for statement in statements(item)]


def _dur(bounds) -> str:
    if bounds.latest is None:
        return "duration unknown" if bounds.earliest == 0 else f"at least {fmt_time(bounds.earliest)} s"
    return fmt_range(bounds.earliest, bounds.latest)
