"""The timeline as a terminal table: startup, then shutdown, each event with its
earliest and latest time (`-` = unbounded), what it waits for, and a one-line
detail; findings under the event they concern; then plain sentences, the
assumptions in force and the Kubernetes version assumed.

Colour only when the caller says so; every string from a manifest goes through
`printable` so a manifest cannot move the cursor or rewrite the screen.
"""
from __future__ import annotations

from typing import TextIO

from podlint.explain_render import fmt_time
from podlint.explain_render.rollout_text import disruption_lines, rollout_lines
from podlint.explain_render.story import sentences
from podlint.reporters import printable

RESET, BOLD, DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"
SEVERITY = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
PHASE = {"startup": "\x1b[34m", "shutdown": "\x1b[35m"}
EVENT_WIDTH = 26
MAX_CONTAINER_WIDTH = 24


class _Paint:
    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, *styles: str) -> str:
        if not self.color or not styles:
            return text
        return "".join(styles) + text + RESET


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "~"


def _after(event, previous) -> str:
    """What the event waits for, unless that is simply the row above."""
    if previous is not None and tuple(event.after) == (previous.key,):
        return ""
    if not event.after:
        return ""
    return "<- " + ", ".join(printable(a) for a in event.after)


def _finding_line(finding, paint: _Paint, indent: str) -> str:
    where = f"line {finding.location.line}"
    severity = paint(f"[{finding.severity}]", SEVERITY.get(finding.severity, ""))
    hint = f" - {printable(finding.hint)}" if finding.hint else ""
    return (f"{indent}{paint('^', BOLD)} {finding.code} {severity} {printable(finding.message)} "
            f"{paint('(' + where + hint + ')', DIM)}")


def _shown(event) -> str:
    """The container column: an implied container (an injected proxy) says so."""
    name = printable(event.container or "")
    return f"{name} (implied)" if getattr(event, "implied", False) else name


def _table(out: TextIO, title: str, phase: str, events, offset: int, placed, width: int,
           paint: _Paint) -> None:
    out.write(paint(f"  {title}", BOLD) + "\n")
    head = f"  {'event':<{EVENT_WIDTH}} {'container':<{width}}{'earliest':>9}{'latest':>8}  detail (<- waits for)"
    out.write(paint(head, DIM) + "\n")
    previous = None
    for number, event in enumerate(events):
        container = _cut(_shown(event), width)
        name = paint(f"{event.event:<{EVENT_WIDTH}}", PHASE[phase])
        after = _after(event, previous)
        detail = printable(event.detail)
        out.write(f"  {name} {container:<{width}}{fmt_time(event.earliest):>9}"
                  f"{fmt_time(event.latest):>8}  {detail}"
                  + (" " + paint(after, DIM) if after else "") + "\n")
        for finding in placed.get(offset + number, ()):
            out.write(_finding_line(finding, paint, " " * (EVENT_WIDTH + 4)) + "\n")
        previous = event


def render_one(item, out: TextIO, paint: _Paint) -> None:
    timeline = item.timeline
    placed, header, other = item.placement()
    where = f"{printable(item.path)}:{item.line}:{item.column}"
    namespace = f" in namespace {printable(item.namespace)}" if item.namespace else ""
    out.write(paint(printable(item.ref), BOLD) + f"{namespace}  {where}  "
              + paint(f"apiVersion {printable(item.api_version)}", DIM) + "\n")
    for finding in header:
        out.write(_finding_line(finding, paint, "  ") + "\n")
    for note in timeline.notes:
        out.write(paint(f"  note: {printable(note)}", DIM) + "\n")
    width = max([len(_shown(e)) for e in timeline.startup + timeline.shutdown] + [9])
    width = min(width, MAX_CONTAINER_WIDTH)
    out.write("\n")
    _table(out, "STARTUP (s from pod admission)", "startup", timeline.startup, 0, placed, width, paint)
    ready = timeline.ready
    never = getattr(timeline, "never_ready", None)
    if never:
        out.write(paint(f"  pod Ready: never ({printable(never)})", BOLD) + "\n\n")
    else:
        out.write(paint(f"  pod Ready: earliest {fmt_time(ready.earliest)} s, latest "
                        f"{fmt_time(ready.latest, 'unbounded')}"
                        + (" s" if ready.latest is not None else ""), BOLD) + "\n\n")
    _table(out, "SHUTDOWN (s from t0, the kubelet starting the kill)", "shutdown", timeline.shutdown,
           len(timeline.startup), placed, width, paint)
    if item.rollout is not None:
        out.write("\n" + paint("  ROLLOUT (s from the template change; every pod replaced)", BOLD) + "\n")
        for line in rollout_lines(item.rollout, item.kind) + disruption_lines(item.disruption):
            out.write(f"  {printable(line)}\n")
        for finding in item.rollout_findings():
            out.write(_finding_line(finding, paint, "  ") + "\n")
    out.write("\n" + paint("  What this means", BOLD) + "\n")
    for sentence in sentences(item):
        out.write(f"  - {printable(sentence)}\n")
    out.write("\n" + paint("  assumptions: ", BOLD))
    values = timeline.assumptions.to_dict() if timeline.assumptions is not None else {}
    if values:
        out.write(", ".join(f"{printable(k)} = {fmt_time(v['seconds'])} s ({printable(v['source'])})"
                            for k, v in values.items()) + "\n")
    else:
        out.write("none - unknown durations (image pull, init run time, app startup and shutdown, "
                  "exec/HTTP hooks) count as 0 for earliest and unbounded for latest; state them "
                  "with --assume NAME.startup=45s, NAME.run=2m, NAME.shutdown=10s, image-pull=5s\n")
    if other:
        out.write(paint("  other findings:", BOLD) + "\n")
        for finding in other:
            subject = f" ({printable(finding.container)})" if finding.container else ""
            severity = paint(f"[{finding.severity}]", SEVERITY.get(finding.severity, ""))
            out.write(f"    {printable(finding.location.path)}:{finding.location.line}:"
                      f"{finding.location.column}: {finding.code} {severity} "
                      f"{printable(finding.message)}{subject}\n")
    count = len(item.findings)
    out.write(paint(f"  {count} finding{'s' if count != 1 else ''}", DIM) + "\n")


def render(explained: list, settings, out: TextIO, color: bool = False) -> None:
    paint = _Paint(color)
    if not explained:
        out.write("no workloads to explain (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, "
                  "ReplicationController, Job, CronJob, PodTemplate)\n")
        return
    for number, item in enumerate(explained):
        if number:
            out.write("\n" + "-" * 78 + "\n\n")
        render_one(item, out, paint)
