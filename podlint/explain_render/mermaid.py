"""The timeline as Mermaid gantt charts inside Markdown, which GitHub renders
(issues, pull requests, README files): per workload a heading and two fenced
```mermaid blocks, startup (s from pod admission) and shutdown (s from t0).

Mermaid's gantt grammar is line based: `title`, `dateFormat`, `axisFormat`,
`section NAME` and tasks `NAME :TAGS, ID, START, DURATION`. Starts are epoch
milliseconds (`dateFormat x`; Mermaid 11 misreads `dateFormat X`, checked by
rendering with mermaid 11 in Chromium) and `axisFormat %s` prints them back as
plain seconds whatever the viewer's time zone; durations are `Ns`, or `Nms`
when fractional. An exact time is a milestone, a range a bar,
and an unbounded range a bar to the right edge marked `done` (grey) whose name
says it has no upper bound. Names come from untrusted manifests: everything
outside a small safe alphabet becomes `_`, so no `:`, `#`, `;`, `%%` or markup
reaches Mermaid.
"""
from __future__ import annotations

import math
import re
from typing import TextIO

from podlint.explain_render import fmt_range, fmt_time

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._\-+/()=,]")
MAX_SECONDS = 1e8           # ~3 years: beyond this a chart is meaningless (and dates overflow)
CRITICAL = frozenset({"sigkill-deadline", "liveness-restart-earliest", "startup-probe-deadline"})


def safe(text: object, limit: int = 80) -> str:
    """Text Mermaid cannot misread: a safe alphabet, no leading/trailing space."""
    cleaned = _UNSAFE.sub("_", str(text)).strip() or "_"
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "_"


def _millis(seconds: float) -> str:
    """A start time in epoch milliseconds (dateFormat x)."""
    return str(int(round(min(max(float(seconds), 0.0), MAX_SECONDS) * 1000)))


def _duration(seconds: float) -> str:
    """`30s`, or `1500ms` for a fractional duration."""
    millis = int(round(min(max(float(seconds), 0.0), MAX_SECONDS) * 1000))
    return f"{millis // 1000}s" if millis % 1000 == 0 else f"{millis}ms"


def _horizon(events) -> float:
    finite = [0.0]
    for event in events:
        for value in (event.earliest, event.latest):
            if value is not None and math.isfinite(value):
                finite.append(float(value))
    top = min(max(finite), MAX_SECONDS / 2)
    return max(10.0, math.ceil(top * 1.2 + 5))


def _lane(event, roles: dict[str, str]) -> str:
    if event.container is None:
        return "pod"
    role = roles.get(event.container, "container")
    return f"{event.container} ({role})"


def gantt(events, title: str, roles: dict[str, str]) -> list[str]:
    """One gantt chart: a section per lane (pod first, then containers in the
    order their first event appears), a task per event."""
    horizon = _horizon(events)
    lines = ["gantt", f"    title {safe(title, 120)}", "    dateFormat x", "    axisFormat %s",
             "    todayMarker off"]
    lanes: dict[str, list] = {"pod": []}
    for event in events:
        lanes.setdefault(_lane(event, roles), []).append(event)
    number = 0
    for lane, members in lanes.items():
        if not members:
            continue
        lines.append(f"    section {safe(lane, 60)}")
        for event in members:
            number += 1
            start = min(float(event.earliest), MAX_SECONDS)
            when = fmt_range(event.earliest, event.latest)
            if event.latest is not None and event.latest == event.earliest:
                tags, duration = ["milestone"], 0.0
            elif event.latest is None:
                tags, duration = ["done"], max(horizon - start, 1.0)
                when = f"{fmt_time(event.earliest)} s, no upper bound"
            else:
                tags, duration = ["active"], max(min(float(event.latest), MAX_SECONDS) - start, 0.0)
            if event.event in CRITICAL:
                tags.insert(0, "crit")
            name = safe(f"{event.event} {when}", 80)
            lines.append(f"        {name} :{', '.join(tags)}, t{number}, {_millis(start)}, "
                         f"{_duration(duration)}")
    return lines


class _Wave:
    """A rollout wave as gantt() reads an event: one bar in a `rollout` lane."""
    container = None

    def __init__(self, name: str, earliest: float, latest: float | None):
        self.event, self.earliest, self.latest = name, earliest, latest


def rollout_waves(rollout) -> list[_Wave]:
    """Each wait of the rollout, from its start to when its new pods are
    available, named by the pods during it (podlint.rollout steps)."""
    steps = rollout.steps
    out = []
    for step, following in zip(steps, steps[1:]):
        out.append(_Wave(f"wave {step.wave} (old {step.old}, new {step.new}, available {step.available})",
                         step.time.earliest, following.time.latest))
    return out


def render(explained: list, settings, out: TextIO, color: bool = False) -> None:
    from podlint.config import format_version

    if not explained:
        out.write("No workloads to explain.\n")
        return
    version = format_version(settings.kubernetes_version)
    for number, item in enumerate(explained):
        if number:
            out.write("\n")
        roles = {name: role for name, role in reversed(item.containers)}
        out.write(f"### {safe(item.ref, 120)} ({safe(item.path, 120)} line {item.line})\n\n")
        never = getattr(item.timeline, "never_ready", None)
        plain = never.replace("\"", "").replace(": ", " - ") if never else ""
        out.write(f"Kubernetes {version} assumed. Times in seconds; a grey bar has no upper bound "
                  "(an unknown duration, see `podlint explain --assume`)."
                  + (f" Pod never Ready: {safe(plain, 200)} (no pod-ready milestone)." if never else "")
                  + "\n\n")
        for phase, events, what in (("startup", item.timeline.startup, "s from pod admission"),
                                    ("shutdown", item.timeline.shutdown, "s from t0 (kubelet starts the kill)")):
            out.write("```mermaid\n")
            out.write("\n".join(gantt(events, f"{item.ref} {phase}, {what}", roles)) + "\n")
            out.write("```\n\n")
        waves = rollout_waves(item.rollout) if item.rollout is not None else []
        if waves:
            title = (f"{item.ref} rollout, {item.rollout.strategy}, {item.rollout.waves} waves, "
                     "s from the template change")
            out.write("```mermaid\n" + "\n".join(gantt(waves, title, {})).replace(
                "section pod", "section rollout") + "\n```\n\n")
