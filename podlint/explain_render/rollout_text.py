"""The ROLLOUT section of `podlint explain`'s text: how the controller replaces
every pod of the workload, wave by wave, from the numbers in podlint.rollout.

Plain lines without colour; the text renderer paints the title. Every number
printed here is a field of the same Rollout the JSON prints, so the two agree.
"""
from __future__ import annotations

from podlint.explain_render import fmt_time

MAX_ROWS = 12            # a 100-replica rollout shows its first and last waves


def _span(earliest, latest) -> str:
    if latest is not None and latest == earliest:
        return fmt_time(earliest)
    return f"{fmt_time(earliest)}-{fmt_time(latest, 'unbounded')}"


def _capacity(rollout) -> str:
    if rollout.strategy == "Recreate":
        return (f"every old pod is deleted first; the {rollout.replicas} new pod"
                f"{'s start' if rollout.replicas != 1 else ' starts'} once all are gone")
    unit = "nodes" if rollout.replicas is not None and rollout.max_pods is not None and \
        rollout.max_pods < rollout.replicas else "pods"
    parts = []
    if rollout.max_surge is not None:
        parts.append(f"maxSurge {rollout.max_surge}")
    if rollout.max_unavailable is not None:
        parts.append(f"maxUnavailable {rollout.max_unavailable}")
    limits = ", ".join(parts)
    return (f"{limits} (resolved from the spec as the controller does): at most "
            f"{rollout.max_pods} {unit}, at least {rollout.min_available} available")


def rollout_lines(rollout, kind: str, table: bool = True) -> list[str]:
    """The section's lines after its title; `table=False` leaves out the wave
    table (the HTML page draws the waves instead)."""
    lines: list[str] = []
    replicas = "replicas unknown" if rollout.replicas is None else (
        f"{rollout.replicas} node{'s' if rollout.replicas != 1 else ''} (assumed)" if kind == "DaemonSet"
        else f"{rollout.replicas} replica{'s' if rollout.replicas != 1 else ''}")
    lines.append(f"{kind} {rollout.strategy}, {replicas}")
    if rollout.strategy == "OnDelete" or rollout.waves is None:
        lines.extend(rollout.notes)
        return lines
    lines.append(_capacity(rollout))
    if table:
        lines.extend(_table(rollout))
    _tail(rollout, lines)
    return lines


def _table(rollout) -> list[str]:
    lines = [f"{'wave':>4}  {'time (s)':>14}  {'old':>5}  {'new':>5}  {'available':>9}"]
    steps = list(rollout.steps)
    shown = steps if len(steps) <= MAX_ROWS else steps[: MAX_ROWS - 2] + [None] + steps[-1:]
    for step in shown:
        if step is None:
            lines.append(f"{'...':>4}")
            continue
        lines.append(f"{step.wave:>4}  {_span(step.time.earliest, step.time.latest):>14}  "
                     f"{step.old:>5}  {step.new:>5}  {step.available:>9}")
    return lines


def _tail(rollout, lines: list[str]) -> None:
    ready = _span(rollout.pod_ready.earliest, rollout.pod_ready.latest)
    stop = _span(rollout.pod_stop.earliest, rollout.pod_stop.latest)
    waits = "wave waits" if rollout.strategy != "Recreate" else "start waits"
    lines.append(f"each {waits} {ready} s for new pods to become available (Ready + minReadySeconds); "
                 f"an old pod is gone {stop} s after its deletion")
    if rollout.duration is not None:
        count = f"{rollout.waves} wave{'s' if rollout.waves != 1 else ''}"
        lines.append(f"duration: {_span(rollout.duration.earliest, rollout.duration.latest)} s ({count})")
    if rollout.progress_deadline is not None:
        if rollout.stall:
            verdict = rollout.stall
        elif rollout.pod_ready.latest is None:
            verdict = ("reached only if one wave waits longer; the latest wait is unbounded here "
                       "(state the startup with --assume NAME.startup=...)")
        else:
            verdict = "no single wait can reach it"
        lines.append(f"progressDeadlineSeconds {rollout.progress_deadline} (counted from the last "
                     f"progress): {verdict}")
    lines.extend(rollout.notes)


def disruption_lines(disruption: dict | None) -> list[str]:
    """What budgets and autoscalers allow a node drain, from explain's JSON object."""
    if not disruption:
        return []
    lines = []
    for scaler in disruption["autoscalers"]:
        lines.append(f'autoscaled by HorizontalPodAutoscaler "{scaler["name"]}" ({scaler["path"]}:'
                     f'{scaler["line"]}): {scaler["min_replicas"]} to {scaler["max_replicas"]} replicas')
    for budget in disruption["budgets"]:
        at_min = budget["allowed_at_hpa_minimum"]
        minimum = f", {at_min} at the autoscaler's minimum" if disruption["autoscalers"] and at_min is not None else ""
        allowed = "unknown (pod count unknown)" if budget["allowed_disruptions"] is None \
            else str(budget["allowed_disruptions"])
        lines.append(f'PodDisruptionBudget "{budget["name"]}" ({budget["path"]}:{budget["line"]}), '
                     f'{budget["rule"]}: evictions allowed {allowed} at full scale{minimum}')
    if not disruption["budgets"]:
        lines.append("no PodDisruptionBudget covers it: node drains evict its pods without any limit")
    elif disruption["drain_can_evict"] is False:
        lines.append("a node drain can never evict these pods: it hangs until the budget changes")
    return lines
