"""The timeline as one self-contained HTML page with an inline SVG per workload.

No scripts, no fonts, no images, no network: a Content-Security-Policy of
`default-src 'none'` makes any request fail, and the page has nothing to
request. Each workload gets two panels, startup (s from pod admission) and
shutdown (s from t0): a lane per container (and one for the pod), bars for init
runs, hooks, probe windows, the grace period and SIGKILL, each labelled with its
times. A bar whose end is unknown fades out towards the right edge. Below the
picture: the same timeline in plain sentences, the event tables and the
findings. Every string from a manifest is escaped.
"""
from __future__ import annotations

import html
import math
from typing import TextIO

from podlint import __version__
from podlint.explain_render import fmt_range, fmt_time
from podlint.explain_render.rollout_text import disruption_lines, rollout_lines
from podlint.explain_render.story import sentences
from podlint.reporters import printable

WIDTH = 1200
LABEL_X = 16
PLOT_X0 = 210
PLOT_X1 = 1168
ROW = 16
ROW_GAP = 5
LANE_PAD = 8
MAX_HORIZON = 3600.0

ROLE_FILL = {"init": ("#dbe5f8", "#5b7db1"), "sidecar": ("#dcefd9", "#4f8f45"),
             "main": ("#fbeccb", "#b98a1d"), "pod": ("#eceff4", "#6b7483")}
COLORS = {
    "hook": "#ef8a3c", "startup": "#8e5bb5", "readiness": "#23936a", "liveness": "#2c7fb8",
    "ready": "#1b7f3b", "kill": "#d64541", "stop": "#e07b22", "grace": "#8a94a6",
}

STYLE = """
:root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #1f2430;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { background: #1f2a44; color: #fff; padding: 14px 28px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header p { margin: 2px 0 0; color: #c9d2e6; font-size: 13px; }
section.workload { background: #fff; margin: 18px 24px; padding: 16px 20px 20px;
                   border: 1px solid #dfe3ea; border-radius: 8px; }
h2 { margin: 0 0 2px; font-size: 18px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.where { color: #5f6b7d; font-size: 13px; margin: 0 0 8px; }
.notes { color: #5f6b7d; font-size: 12.5px; margin: 4px 0 8px; padding-left: 18px; }
.finding { font-size: 13px; margin: 3px 0; }
.sev { display: inline-block; min-width: 56px; text-align: center; border-radius: 4px;
       padding: 0 6px; margin-right: 6px; font-size: 12px; font-weight: 600; color: #fff; }
.sev.error { background: #c0392b; } .sev.warning { background: #d68910; } .sev.info { background: #2874a6; }
.code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
svg { display: block; width: 100%; height: auto; }
ul.story { margin: 8px 0; padding-left: 20px; }
ul.story li { margin: 2px 0; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; margin-top: 6px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eceff3; vertical-align: top; }
th { color: #5f6b7d; font-weight: 600; }
td.t { text-align: right; font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
details summary { cursor: pointer; color: #2c5aa0; margin-top: 10px; }
"""


def esc(text: object) -> str:
    return html.escape(printable(text), quote=True)


# ----------------------------------------------------------------------------- scale

class Scale:
    """Seconds -> x. Values beyond the horizon are drawn at the edge."""

    def __init__(self, events):
        finite = [0.0]
        for event in events:
            for value in (event.earliest, event.latest):
                if value is not None and math.isfinite(value) and value <= MAX_HORIZON:
                    finite.append(float(value))
        top = max(finite)
        self.horizon = max(10.0, top * 1.12 + 2)
        self.step = _nice_step(self.horizon)

    def x(self, seconds: float | None) -> float:
        if seconds is None or not math.isfinite(seconds):
            return PLOT_X1
        value = min(max(float(seconds), 0.0), self.horizon)
        return PLOT_X0 + (PLOT_X1 - PLOT_X0) * value / self.horizon

    def ticks(self) -> list[float]:
        out, value = [], 0.0
        while value <= self.horizon + 1e-9:
            out.append(value)
            value += self.step
        return out


def _nice_step(horizon: float) -> float:
    raw = horizon / 10
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


# ----------------------------------------------------------------------------- svg pieces

class Svg:
    def __init__(self):
        self.parts: list[str] = []
        self.gradients: set[str] = set()

    def add(self, text: str) -> None:
        self.parts.append(text)

    def fade(self, color: str) -> str:
        """A gradient id for a bar whose end is unknown: solid, then fading out."""
        key = "fade" + color.lstrip("#")
        self.gradients.add(color)
        return key

    def defs(self) -> str:
        out = ["<defs>"]
        for color in sorted(self.gradients):
            key = "fade" + color.lstrip("#")
            out.append(f'<linearGradient id="{key}" x1="0" x2="1" y1="0" y2="0">'
                       f'<stop offset="0" stop-color="{color}" stop-opacity="0.85"/>'
                       f'<stop offset="0.55" stop-color="{color}" stop-opacity="0.35"/>'
                       f'<stop offset="1" stop-color="{color}" stop-opacity="0.04"/></linearGradient>')
        out.append('<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
                   'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff" '
                   'fill-opacity="0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" '
                   'stroke-width="2" stroke-opacity="0.55"/></pattern>')
        out.append("</defs>")
        return "".join(out)


def _text(x: float, y: float, text: str, size: float = 11, fill: str = "#1f2430",
          anchor: str = "start", weight: str = "normal", halo: bool = False) -> str:
    """A label; `halo` draws a white outline under it so it stays readable over lines."""
    extra = ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}" font-weight="{weight}"{extra}>{esc(text)}</text>')


def bar(svg: Svg, scale: Scale, y: float, start: float, end: float | None, color: str,
        label: str, solid_until: float | None = None, hatch: bool = False) -> None:
    """A bar from start to end (None: to the right edge, fading out), labelled."""
    x0 = scale.x(start)
    open_end = end is None
    x1 = scale.x(end) if not open_end else PLOT_X1
    if solid_until is not None and not open_end and solid_until < end:
        # Known part solid, uncertain part lighter.
        xs = scale.x(solid_until)
        if xs - x0 >= 0.5:
            svg.add(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{xs - x0:.1f}" height="{ROW}" rx="3" '
                    f'fill="{color}" fill-opacity="0.9"/>')
        svg.add(f'<rect x="{xs:.1f}" y="{y:.1f}" width="{max(x1 - xs, 2):.1f}" height="{ROW}" rx="3" '
                f'fill="{color}" fill-opacity="0.35" stroke="{color}" stroke-dasharray="3 2"/>')
    elif open_end:
        svg.add(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 2):.1f}" height="{ROW}" rx="3" '
                f'fill="url(#{svg.fade(color)})"/>')
    else:
        width = max(x1 - x0, 3)
        svg.add(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{width:.1f}" height="{ROW}" rx="3" '
                f'fill="{color}" fill-opacity="0.9"/>')
    if hatch:
        svg.add(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(x1 - x0, 3):.1f}" height="{ROW}" rx="3" '
                f'fill="url(#hatch)"/>')
    solid = not open_end and (solid_until is None or solid_until >= end
                              or scale.x(solid_until) - x0 >= len(label) * 6.1 + 10)
    _label(svg, x0, x1, y, label, solid)


def _label(svg: Svg, x0: float, x1: float, y: float, label: str, solid: bool) -> None:
    """Inside a solid bar in white when it fits, else dark with a halo, inside
    a light bar, after the bar, or before it."""
    width_needed = len(label) * 6.1 + 10
    if x1 - x0 >= width_needed:
        if solid:
            svg.add(_text(x0 + 5, y + ROW - 4, label, 10.5, "#ffffff", weight="600"))
        else:
            svg.add(_text(x0 + 5, y + ROW - 4, label, 10.5, "#1f2430", weight="600", halo=True))
    elif x1 + width_needed < PLOT_X1:
        svg.add(_text(x1 + 5, y + ROW - 4, label, 10.5, "#1f2430", halo=True))
    else:
        svg.add(_text(x0 - 5, y + ROW - 4, label, 10.5, "#1f2430", "end", halo=True))


def marker(svg: Svg, scale: Scale, y: float, event, color: str, label: str) -> None:
    """A diamond at the earliest time, a whisker to the latest (or the edge)."""
    x0 = scale.x(event.earliest)
    cy = y + ROW / 2
    if event.latest is None or event.latest != event.earliest:
        x1 = scale.x(event.latest)
        dash = ' stroke-dasharray="4 3"' if event.latest is None else ""
        svg.add(f'<line x1="{x0:.1f}" y1="{cy:.1f}" x2="{x1:.1f}" y2="{cy:.1f}" stroke="{color}" '
                f'stroke-width="2"{dash}/>')
        if event.latest is not None:
            svg.add(f'<line x1="{x1:.1f}" y1="{cy - 5:.1f}" x2="{x1:.1f}" y2="{cy + 5:.1f}" '
                    f'stroke="{color}" stroke-width="2"/>')
    svg.add(f'<path d="M{x0:.1f},{cy - 7:.1f} L{x0 + 7:.1f},{cy:.1f} L{x0:.1f},{cy + 7:.1f} '
            f'L{x0 - 7:.1f},{cy:.1f} Z" fill="{color}" stroke="#fff" stroke-width="1"/>')
    text = f"{label} {fmt_range(event.earliest, event.latest)}"
    right = scale.x(event.latest) if event.latest is not None else x0
    if event.latest is None:
        right = x0
    if right + len(text) * 6.1 + 14 < PLOT_X1:
        svg.add(_text(right + 10, y + ROW - 4, text, 10.5, color, weight="600", halo=True))
    else:
        svg.add(_text(x0 - 10, y + ROW - 4, text, 10.5, color, "end", "600", halo=True))


# ----------------------------------------------------------------------------- lanes

def _lanes(item, phase: str) -> list[tuple[str, str]]:
    """(lane key, role) for the pod and each container with events in this phase."""
    events = item.timeline.startup if phase == "startup" else item.timeline.shutdown
    present = {e.container for e in events if e.container is not None}
    lanes = [("", "pod")]
    seen = set()
    for name, role in item.containers:
        if name in present and name not in seen:
            seen.add(name)
            lanes.append((name, role))
    return lanes


def _rows_startup(events) -> list[list]:
    """Rows of one container's startup lane: start/run/hook, then one row per
    probe kind's first-run window, then readiness, then the earliest kill."""
    rows: dict[str, list] = {"run": []}
    for event in events:
        if event.event == "startup-probe-first":
            rows.setdefault("startup", []).append(event)
        elif event.event == "readiness-probe-first":
            rows.setdefault("readiness", []).append(event)
        elif event.event == "liveness-probe-first":
            rows.setdefault("liveness", []).append(event)
        elif event.event in ("container-ready", "sidecar-ready"):
            rows.setdefault("ready", []).append(event)
        elif event.event in ("liveness-restart-earliest", "startup-probe-deadline"):
            rows.setdefault("kill", []).append(event)
        else:
            rows["run"].append(event)
    ready = rows.get("ready", [])
    if len(ready) == 2 and ready[0].bounds != ready[1].bounds:
        rows["ready"] = [e for e in ready if e.event == "container-ready"]
        rows["gate"] = [e for e in ready if e.event == "sidecar-ready"]
    elif len(ready) == 2:
        rows["ready"] = [e for e in ready if e.event == "sidecar-ready"]
    kills = rows.get("kill", [])
    if len(kills) > 1:          # with a startup probe both name the same moment
        rows["kill"] = [e for e in kills if e.event == "liveness-restart-earliest"][:1] or kills[:1]
    return [rows[key] for key in ("run", "startup", "gate", "readiness", "liveness", "ready", "kill")
            if key in rows]


def _draw_startup_row(svg: Svg, scale: Scale, y: float, row: list, role: str, timing=None) -> None:
    """The start/run/hook row; `timing` (ContainerTiming) gives the postStart's own
    duration, known for sleep hooks even when the start time is not."""
    by = {e.event: e for e in row}
    fill, stroke = ROLE_FILL.get(role, ROLE_FILL["main"])
    if "init-started" in by:
        start, done = by["init-started"], by.get("init-completed")
        end = done.latest if done is not None else None
        bar(svg, scale, y, start.earliest, end, stroke, f"init run {fmt_range(start.earliest, end)}",
            solid_until=done.earliest if done is not None else None)
    started = by.get("container-started") or by.get("sidecar-started")
    if started is not None:
        hook = by.get("post-start-completed")
        when = fmt_range(started.earliest, started.latest)
        if hook is None:
            bar(svg, scale, y, started.earliest, None, stroke, f"started {when}, running")
        elif hook.latest is None:
            duration = getattr(timing, "post_start", None)
            if duration is not None and duration.latest is not None:
                end = started.earliest + duration.latest
                bar(svg, scale, y, end, None, stroke, "running")
                bar(svg, scale, y, started.earliest, end, COLORS["hook"],
                    f"started {when}; postStart {fmt_range(duration.earliest, duration.latest)} "
                    "(blocks what follows)", solid_until=started.earliest + duration.earliest)
            else:
                bar(svg, scale, y, started.earliest, None, COLORS["hook"],
                    f"started {when}; postStart runs, end unknown (blocks what follows)")
        else:
            bar(svg, scale, y, hook.latest, None, stroke, "running")
            bar(svg, scale, y, started.earliest, hook.latest, COLORS["hook"],
                f"postStart {fmt_range(started.earliest, hook.latest)}", solid_until=hook.earliest)
    if "pod-scheduled" in by:
        marker(svg, scale, y, by["pod-scheduled"], "#3a4150", "scheduled")


def _draw_probe_row(svg: Svg, scale: Scale, y: float, row: list) -> None:
    for event in row:
        if event.event.endswith("-probe-first"):
            kind = event.event.split("-")[0]
            bar(svg, scale, y, event.earliest, event.latest, COLORS[kind],
                f"{kind} probe, first run {fmt_range(event.earliest, event.latest)}", hatch=True)
        elif event.event in ("liveness-restart-earliest", "startup-probe-deadline"):
            marker(svg, scale, y, event, COLORS["kill"], "killed and restarted if the check keeps failing:")
        elif event.event in ("container-ready", "sidecar-ready", "pod-ready"):
            label = {"container-ready": "ready", "sidecar-ready": "ready; next container may start",
                     "pod-ready": "pod Ready"}[event.event]
            marker(svg, scale, y, event, COLORS["ready"], label)


def _draw_shutdown_row(svg: Svg, scale: Scale, y: float, events: list, role: str) -> None:
    by = {e.event: e for e in events}
    fill, stroke = ROLE_FILL.get(role, ROLE_FILL["main"])
    stop = by.get("stop-signal") or by.get("sidecar-stop-signal")
    kill = by.get("sigkill-deadline")
    if "deletion-requested" in by:
        marker(svg, scale, y, by["deletion-requested"], "#3a4150", "t0: kill starts, endpoints removed")
        return
    hook = by.get("pre-stop-completed")
    if hook is not None:
        bar(svg, scale, y, 0, hook.latest, COLORS["hook"],
            f"preStop {fmt_range(0, hook.latest) if hook.earliest == 0 else fmt_range(hook.earliest, hook.latest)}",
            solid_until=hook.earliest)
    if stop is not None and kill is not None:
        y2 = y + ROW + ROW_GAP
        start = stop.earliest
        svg.add(f'<rect x="{scale.x(start):.1f}" y="{y2:.1f}" '
                f'width="{max(scale.x(kill.latest) - scale.x(start), 3):.1f}" height="{ROW}" rx="3" '
                f'fill="{COLORS["stop"]}" fill-opacity="0.18" stroke="{COLORS["stop"]}" '
                f'stroke-opacity="0.5"/>')
        signal = "SIGTERM" if stop.event == "stop-signal" else "stop signal"
        marker(svg, scale, y2, stop, COLORS["stop"], signal)
        y3 = y2 + ROW + ROW_GAP
        marker(svg, scale, y3, kill, COLORS["kill"], "SIGKILL")


def panel(svg: Svg, item, phase: str, top: float) -> float:
    """Draw one phase; returns the y below it."""
    timeline = item.timeline
    events = list(timeline.startup if phase == "startup" else timeline.shutdown)
    scale = Scale(events)
    title = ("Startup - seconds from pod admission" if phase == "startup"
             else f"Shutdown - seconds from t0, when the kubelet starts the kill "
                  f"(grace {getattr(timeline, 'kill_grace', timeline.grace)} s)")
    svg.add(_text(LABEL_X, top + 16, title, 14, "#1f2430", weight="700"))
    axis_y = top + 30
    lanes = _lanes(item, phase)
    lane_rows: list[tuple[str, str, list]] = []
    for name, role in lanes:
        mine = [e for e in events if (e.container or "") == name] if name else \
            [e for e in events if e.container is None]
        if phase == "startup":
            rows = _rows_startup(mine) if name else [[e for e in mine if e.event == "pod-scheduled"],
                                                     [e for e in mine if e.event == "pod-ready"]]
        else:
            rows = [mine] if not name else [mine, [], []]
            if name and not any(e.event in ("stop-signal", "sidecar-stop-signal") for e in mine):
                rows = [mine]
        lane_rows.append((name, role, [r for r in rows if r is not None]))
    height = sum(len(rows) * (ROW + ROW_GAP) + 2 * LANE_PAD for _, _, rows in lane_rows)
    bottom = axis_y + 8 + height
    # grid and axis
    for tick in scale.ticks():
        x = scale.x(tick)
        svg.add(f'<line x1="{x:.1f}" y1="{axis_y + 4:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                f'stroke="#e3e7ee" stroke-width="1"/>')
        svg.add(_text(x, axis_y, f"{fmt_time(tick)}", 10.5, "#5f6b7d", "middle"))
    if phase == "shutdown":
        grace = getattr(timeline, "kill_grace", max(1, timeline.grace))
        gx = scale.x(grace)
        svg.add(f'<rect x="{PLOT_X0:.1f}" y="{axis_y + 6:.1f}" width="{gx - PLOT_X0:.1f}" '
                f'height="{bottom - axis_y - 6:.1f}" fill="#8a94a6" fill-opacity="0.08"/>')
        svg.add(f'<line x1="{gx:.1f}" y1="{axis_y + 6:.1f}" x2="{gx:.1f}" y2="{bottom:.1f}" '
                f'stroke="{COLORS["grace"]}" stroke-dasharray="5 4" stroke-width="1.5"/>')
        svg.add(_text(gx, bottom + 13, f"grace period ends at {fmt_time(grace)} s", 10.5,
                      "#5f6b7d", "middle", "600"))
    y = axis_y + 8
    for number, (name, role, rows) in enumerate(lane_rows):
        lane_height = len(rows) * (ROW + ROW_GAP) + 2 * LANE_PAD
        fill, stroke = ROLE_FILL.get(role.replace("implied ", ""), ROLE_FILL["main"])
        svg.add(f'<rect x="8" y="{y:.1f}" width="{WIDTH - 16}" height="{lane_height - 2:.1f}" rx="5" '
                f'fill="{fill}" fill-opacity="{0.35 if number % 2 else 0.55}"/>')
        label = printable(name) if name else "pod"
        if len(label) > 24:
            label = label[:23] + "\u2026"
        svg.add(_text(LABEL_X, y + LANE_PAD + 12, label, 13, "#1f2430", weight="700"))
        svg.add(_text(LABEL_X, y + LANE_PAD + 27, role if name else "whole pod", 11, stroke,
                      weight="600" if role.startswith("implied") else "400"))
        row_y = y + LANE_PAD
        implied = role.startswith("implied ")
        role = role.replace("implied ", "")
        if implied:     # an injected proxy the manifest does not show: a dashed lane
            svg.add(f'<rect x="8" y="{y:.1f}" width="{WIDTH - 16}" height="{lane_height - 2:.1f}" '
                    f'rx="5" fill="none" stroke="{stroke}" stroke-dasharray="5 4"/>')
        for index, row in enumerate(rows):
            if phase == "startup":
                if name and index == 0:
                    _draw_startup_row(svg, scale, row_y, row, role, timeline.containers.get(name))
                elif not name and index == 0:
                    _draw_startup_row(svg, scale, row_y, row, role)
                elif not name and getattr(timeline, "never_ready", None):
                    svg.add(_text(PLOT_X0 + 4, row_y + 13, f"pod never Ready: {timeline.never_ready}",
                                  11, COLORS["kill"], weight="600"))
                else:
                    _draw_probe_row(svg, scale, row_y, row)
            elif index == 0:
                if name:
                    _draw_shutdown_row(svg, scale, row_y, row, role)
                else:
                    _draw_shutdown_row(svg, scale, row_y, [e for e in row if e.event == "deletion-requested"], role)
            row_y += ROW + ROW_GAP
        y += lane_height
    return bottom + (26 if phase == "shutdown" else 14)


MAX_WAVE_ROWS = 12


def rollout_panel(svg: Svg, item, top: float) -> float:
    """The rollout lane: one bar per wave, from the wave's start to when its new
    pods are available (bounds as in podlint.rollout), labelled with the pods
    during it. Returns the y below it."""
    steps = list(item.rollout.steps)
    waves = list(zip(steps, steps[1:]))
    if len(waves) > MAX_WAVE_ROWS:
        waves = waves[: MAX_WAVE_ROWS - 1] + waves[-1:]

    class _Span:
        def __init__(self, earliest, latest):
            self.earliest, self.latest = earliest, latest

    scale = Scale([_Span(a.time.earliest, b.time.latest) for a, b in waves])
    svg.add(_text(LABEL_X, top + 16, f"Rollout - seconds from the template change "
                  f"({item.rollout.strategy}, {item.rollout.waves} waves)", 14, "#1f2430", weight="700"))
    axis_y = top + 30
    height = len(waves) * (ROW + ROW_GAP) + 2 * LANE_PAD
    bottom = axis_y + 8 + height
    for tick in scale.ticks():
        x = scale.x(tick)
        svg.add(f'<line x1="{x:.1f}" y1="{axis_y + 4:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
                f'stroke="#e3e7ee" stroke-width="1"/>')
        svg.add(_text(x, axis_y, f"{fmt_time(tick)}", 10.5, "#5f6b7d", "middle"))
    y = axis_y + 8
    fill, stroke = ROLE_FILL["main"]
    svg.add(f'<rect x="8" y="{y:.1f}" width="{WIDTH - 16}" height="{height - 2:.1f}" rx="5" '
            f'fill="{fill}" fill-opacity="0.55"/>')
    svg.add(_text(LABEL_X, y + LANE_PAD + 12, "rollout", 13, "#1f2430", weight="700"))
    svg.add(_text(LABEL_X, y + LANE_PAD + 27, "waves", 11, stroke))
    row_y = y + LANE_PAD
    for step, following in waves:
        label = f"wave {step.wave}: old {step.old}, new {step.new}, available {step.available}"
        color = COLORS["kill"] if step.available == 0 else COLORS["ready"]
        bar(svg, scale, row_y, step.time.earliest, following.time.latest, color, label)
        row_y += ROW + ROW_GAP
    return bottom + 14


def legend(svg: Svg, top: float) -> float:
    items = [("#5b7db1", "init run"), ("#b98a1d", "container running"), (COLORS["hook"], "hook"),
             (COLORS["startup"], "startup probe"), (COLORS["readiness"], "readiness probe"),
             (COLORS["liveness"], "liveness probe"), (COLORS["ready"], "ready"),
             (COLORS["stop"], "stop signal"), (COLORS["kill"], "SIGKILL / restart")]
    x = LABEL_X
    for color, label in items:
        svg.add(f'<rect x="{x}" y="{top}" width="14" height="10" rx="2" fill="{color}"/>')
        svg.add(_text(x + 19, top + 9.5, label, 11, "#3a4150"))
        x += 30 + len(label) * 6.4
    svg.add(_text(x + 6, top + 9.5, "faded bar: end unknown", 11, "#5f6b7d"))
    return top + 24


def workload_svg(item) -> str:
    svg = Svg()
    y = panel(svg, item, "startup", 4)
    y = panel(svg, item, "shutdown", y + 4)
    if item.rollout is not None and len(item.rollout.steps) > 1:
        y = rollout_panel(svg, item, y + 4)
    y = legend(svg, y + 2)
    body = "".join(svg.parts)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y:.0f}" '
            f'role="img" aria-label="{esc(item.ref)} timeline">{svg.defs()}{body}</svg>')


# ----------------------------------------------------------------------------- page

def _finding_html(finding) -> str:
    loc = finding.location
    hint = f" <span class=\"where\">- {esc(finding.hint)}</span>" if finding.hint else ""
    return (f'<div class="finding"><span class="sev {esc(finding.severity)}">{esc(finding.severity)}</span>'
            f'<span class="code">{esc(finding.code)}</span> {esc(finding.message)} '
            f'<span class="where">({esc(loc.path)}:{loc.line}:{loc.column})</span>{hint}</div>')


def _events_table(events, title: str, placed: dict, offset: int) -> str:
    rows = []
    for number, event in enumerate(events):
        notes = "".join(_finding_html(f) for f in placed.get(offset + number, ()))
        after = ", ".join(event.after)
        rows.append(f"<tr><td class=\"code\">{esc(event.event)}</td><td>{esc(event.container or '')}</td>"
                    f"<td class=\"t\">{esc(fmt_time(event.earliest))}</td>"
                    f"<td class=\"t\">{esc(fmt_time(event.latest))}</td>"
                    f"<td>{esc(event.detail)}{'<br><span class=where>after ' + esc(after) + '</span>' if after else ''}"
                    f"{notes}</td></tr>")
    return (f"<h3>{esc(title)}</h3><table><tr><th>event</th><th>container</th><th>earliest</th>"
            f"<th>latest</th><th>detail</th></tr>{''.join(rows)}</table>")


def workload_html(item) -> str:
    timeline = item.timeline
    placed, header, other = item.placement()
    namespace = f" &middot; namespace {esc(item.namespace)}" if item.namespace else ""
    parts = [f'<section class="workload"><h2>{esc(item.ref)}</h2>'
             f'<p class="where">{esc(item.path)}:{item.line} &middot; apiVersion '
             f'{esc(item.api_version)}{namespace}</p>']
    parts.extend(_finding_html(f) for f in header)
    notes = "".join(f"<li>{esc(n)}</li>" for n in timeline.notes)
    parts.append(f'<ul class="notes">{notes}</ul>')
    parts.append(workload_svg(item))
    if item.rollout is not None:
        parts.append("<h3>Rollout</h3><ul class=\"story\">"
                     + "".join(f"<li>{esc(line)}</li>" for line in rollout_lines(item.rollout, item.kind, table=False)
                               + disruption_lines(item.disruption))
                     + "</ul>" + "".join(_finding_html(f) for f in item.rollout_findings()))
    parts.append("<h3>What this means</h3><ul class=\"story\">"
                 + "".join(f"<li>{esc(s)}</li>" for s in sentences(item)) + "</ul>")
    values = timeline.assumptions.to_dict() if timeline.assumptions is not None else {}
    if values:
        text = ", ".join(f"{k} = {fmt_time(v['seconds'])} s ({v['source']})" for k, v in values.items())
    else:
        text = ("none: unknown durations count as 0 for the earliest bound and unbounded for the "
                "latest (podlint explain --assume NAME.startup=45s, NAME.run=2m, image-pull=5s)")
    parts.append(f'<p><strong>Assumptions:</strong> {esc(text)}</p>')
    parts.append("<details><summary>Every event, with what it waits for</summary>"
                 + _events_table(timeline.startup, "Startup (s from pod admission)", placed, 0)
                 + _events_table(timeline.shutdown, "Shutdown (s from t0)", placed, len(timeline.startup))
                 + "</details>")
    sequence = [f for index in sorted(placed) for f in placed[index]]
    listed = header + sequence + other
    if listed:
        parts.append(f"<h3>Findings ({len(listed)})</h3>" + "".join(_finding_html(f) for f in listed))
    parts.append("</section>")
    return "".join(parts)


def render(explained: list, settings, out: TextIO, color: bool = False) -> None:
    from podlint.config import format_version

    version = format_version(settings.kubernetes_version)
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
              "style-src 'unsafe-inline'\">"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
              f"<title>podlint explain</title><style>{STYLE}</style></head><body>\n")
    count = len(explained)
    out.write(f"<header><h1>podlint explain</h1><p>Predicted startup and shutdown timeline "
              f"&middot; Kubernetes {esc(version)} assumed &middot; {count} workload"
              f"{'s' if count != 1 else ''} &middot; podlint {esc(__version__)}</p></header>\n")
    if not explained:
        out.write('<section class="workload"><p>No workloads to explain.</p></section>\n')
    for item in explained:
        out.write(workload_html(item) + "\n")
    out.write("</body></html>\n")
