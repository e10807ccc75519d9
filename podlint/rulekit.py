"""Small helpers several rules share; rules reach them through podlint.api."""
from __future__ import annotations

from collections.abc import Iterator


def seconds(value: float) -> str:
    """A duration for a message: 12 -> "12", 2.5 -> "2.5", 1e6 -> "1000000"."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.3g}"


def known_pre_stop(ctx) -> Iterator[tuple]:
    """(container, timing) for every main container and sidecar whose preStop has
    a known duration (sleep forms, the native sleep action, or an assumption).

    The scope decision of design.md: PL302 and PL303 judge only these; a hook of
    unknown duration gives no finding. Grace 0 is PL304's (opt-in).
    """
    pod = ctx.pod
    if pod.termination_grace <= 0:
        return
    timeline = ctx.timeline
    for container in pod.sidecars + pod.containers:
        if container.pre_stop is None or pod.container(container.name) is not container:
            continue
        timing = timeline.timing(container.name)
        if timing is None or timing.pre_stop is None or timing.pre_stop.latest is None:
            continue
        yield container, timing


def pre_stop_verb(ctx, container) -> str:
    """How a message says the preStop's known duration: "sleeps" for sleep
    forms, "is assumed to run" when `CONTAINER.pre-stop` states it (an exec or
    HTTP hook whose run time the manifest cannot tell)."""
    timing = ctx.timeline.timing(container.name)
    event = ctx.timeline.event("pre-stop-completed", container.name)
    if timing is not None and event is not None and "run time assumed" in event.detail:
        return "is assumed to run"
    return "sleeps"


def grace_covering_pre_stop(ctx, headroom: float) -> int | None:
    """The terminationGracePeriodSeconds that covers the longest known preStop of
    the pod plus `headroom` seconds for the app after the stop signal (PL302 and
    PL303 fix to the same value, so their edits agree), or None without one."""
    import math

    durations = [timing.pre_stop.latest for _, timing in known_pre_stop(ctx)]
    if not durations:
        return None
    return int(math.ceil(max(durations) + headroom))


def budget_rule(ctx):
    """(key, value, location) of a PodDisruptionBudget's maxUnavailable or
    minAvailable (maxUnavailable first, as the disruption controller reads it),
    or None when it has neither; PL603 and PL604 point at that value."""
    from podlint.disruption import budget_rejections
    from podlint.finding import Location

    data = ctx.data
    if not isinstance(data, dict) or data.get("kind") != "PodDisruptionBudget":
        return None
    spec = data.get("spec")
    if not isinstance(spec, dict) or budget_rejections(spec):
        return None             # the API server refuses it: PL013's, and it blocks nothing
    for key in ("maxUnavailable", "minAvailable"):
        if spec.get(key) is not None:
            try:
                line, column = spec.lc.value(key)
                where = Location(ctx.path, line + 1, column + 1)
            except Exception:
                where = Location(ctx.path, ctx.document.line, ctx.document.column)
            return key, spec.get(key), where
    return None
