"""`podlint explain`: the predicted startup and shutdown timeline of every
workload, with the findings that concern the sequence shown next to the moment
they bite.

Flow: discover -> load -> lint each file with the run's rules (engine.lint_loaded,
so severity overrides and suppressions apply as in `lint`) -> per workload, the
pod model and its timeline -> once every file is in, settle the cross-file
findings (a Service elsewhere may make a container serving) -> render as text,
json, mermaid or html (podlint.explain_render). Parse errors go to stderr as
`path:line:col: CODE message` and make the exit code 2; the other files are
still explained.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

from podlint.config import Settings
from podlint.finding import Finding, Location

FORMATS = ("text", "json", "mermaid", "html")
EXIT_OK = 0
EXIT_ERROR = 2

# Where each sequence finding bites: candidate events, first present wins. A
# finding about a container looks among that container's events first.
FINDING_EVENTS: dict[str, tuple[str, ...]] = {
    "PL101": ("init-completed",),
    "PL102": ("sidecar-ready", "sidecar-started"),
    "PL103": ("init-started",),
    "PL104": ("post-start-completed",),
    "PL105": ("pod-ready",),
    "PL201": ("container-ready",),
    "PL202": ("container-ready",),
    "PL203": ("liveness-probe-first",),
    "PL204": ("liveness-probe-first", "readiness-probe-first", "startup-probe-first"),
    "PL205": ("liveness-restart-earliest", "liveness-probe-first"),
    "PL206": ("startup-probe-deadline", "startup-probe-first"),
    "PL207": ("readiness-probe-first", "liveness-probe-first", "startup-probe-first",
              "post-start-completed", "pre-stop-completed"),
    "PL208": ("liveness-probe-first", "readiness-probe-first", "startup-probe-first"),
    "PL209": ("liveness-restart-earliest", "liveness-probe-first"),
    "PL210": ("post-start-completed", "pre-stop-completed", "liveness-probe-first",
              "readiness-probe-first", "startup-probe-first"),
    "PL211": ("liveness-restart-earliest",),
    "PL301": ("stop-signal", "sidecar-stop-signal"),
    "PL302": ("pre-stop-completed",),
    "PL303": ("sigkill-deadline",),
    "PL304": ("deletion-requested",),
    "PL305": ("pre-stop-started",),
    "PL306": ("pre-stop-started",),
}
SEQUENCE_PREFIXES = ("PL1", "PL2", "PL3")
ROLLOUT_PREFIX = "PL6"        # findings about the rollout go under the ROLLOUT section
HEADER_CODES = frozenset({"PL004"})


@dataclass
class Explained:
    """One workload: where it is, its timeline, and its findings."""
    kind: str
    name: str | None
    namespace: str | None
    api_version: str
    path: str
    line: int
    column: int
    timeline: Any                           # podlint.timeline.Timeline
    findings: list[Finding] = field(default_factory=list)
    containers: tuple[tuple[str, str], ...] = ()    # (name, role) in spec order, init first
    # (line, container, event): where each probe and hook starts in the manifest and
    # the event it drives, so a finding lands on the row of the probe or hook it is
    # about, not the first candidate row of its container.
    anchors: tuple[tuple[int, str, str | None], ...] = ()
    rollout: Any = None                     # podlint.rollout.Rollout, None for other kinds
    key: tuple = ()                         # crossfile.object_key of its document
    disruption: dict | None = None          # budgets and autoscalers in scope (after settling)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name or '<unnamed>'}"

    def rollout_findings(self) -> list[Finding]:
        """The findings shown under the ROLLOUT section (PL6xx)."""
        if self.rollout is None:
            return []
        return [f for f in self.findings if f.code.startswith(ROLLOUT_PREFIX)]

    def placement(self) -> tuple[dict[int, list[Finding]], list[Finding], list[Finding]]:
        """(findings by event index in startup+shutdown, header findings, other
        findings); rollout findings are in none of them (rollout_findings)."""
        events = list(self.timeline.startup) + list(self.timeline.shutdown)
        placed: dict[int, list[Finding]] = {}
        header: list[Finding] = []
        other: list[Finding] = []
        in_rollout = self.rollout_findings()
        for finding in self.findings:
            if any(finding is f for f in in_rollout):
                continue
            if finding.code in HEADER_CODES:
                header.append(finding)
                continue
            index = event_for(finding, events, self.anchors)
            if index is None:
                other.append(finding)
            else:
                placed.setdefault(index, []).append(finding)
        return placed, header, other


def event_for(finding: Finding, events: list, anchors=()) -> int | None:
    """The index of the event a finding bites at, or None.

    When the finding's line lies inside a probe or hook of its container (the
    nearest anchor at or above it), the event that probe or hook drives wins if
    it is a candidate: a livenessProbe finding goes to liveness-probe-first even
    when the container also has a preStop."""
    candidates = FINDING_EVENTS.get(finding.code)
    if not candidates:
        return None
    if finding.container is not None and anchors:
        above = [a for a in anchors if a[1] == finding.container and a[0] <= finding.location.line]
        if above:
            subject = max(above, key=lambda a: a[0])[2]
            if subject in candidates:
                for index, event in enumerate(events):
                    if event.event == subject and event.container == finding.container:
                        return index
    for name in candidates:
        for index, event in enumerate(events):
            if event.event == name and (finding.container is None or event.container == finding.container):
                return index
    return None


# ----------------------------------------------------------------------------- collecting

def _report(err: TextIO, finding: Finding) -> None:
    from podlint.reporters import printable

    loc = finding.location
    err.write(f"{printable(loc.path)}:{loc.line}:{loc.column}: {finding.code} "
              f"[{finding.severity}] {printable(finding.message)}\n")


@dataclass
class _FileExplained:
    """What one file contributes to `explain` (built in a --jobs worker or here)."""
    explained: list
    summary: Any                    # podlint.crossfile.Summary
    errors: str                     # the stderr lines of this file, in order
    failed: bool
    matched: list


def collect(paths, settings: Settings, workloads=(), err: TextIO | None = None,
            jobs: int | None = None) -> tuple[list[Explained], int]:
    """Every selected workload under `paths`, explained; and the exit status.

    Files are explained one by one, across `jobs` worker processes like `lint`
    (run.map_files: small inputs serially); stderr lines and workloads come out
    in path order whatever `jobs` is."""
    from functools import partial

    from podlint.crossfile import Summary, settle
    from podlint.filter import RulePlan
    from podlint.registry import all_rules
    from podlint.run import finding_sort_key, map_files, sources_for
    from podlint.workloads import WorkloadFilter

    err = err if err is not None else sys.stderr
    selection = WorkloadFilter(workloads)
    plan = RulePlan.build(settings, all_rules())
    sources = sources_for(paths, settings)
    parts = map_files(sources, partial(_explain_file, settings=settings, plan=plan,
                                       workloads=tuple(selection.texts)), jobs, _crashed_files)
    summary = Summary()
    status = EXIT_OK
    out: list[Explained] = []
    for part in parts:
        err.write(part.errors)
        if part.failed:
            status = EXIT_ERROR
        summary.merge(part.summary)
        out.extend(part.explained)
        for number, hit in enumerate(part.matched):
            if hit:
                selection.matched[number] = True
    for item in out:
        item.findings = sorted(settle(item.findings, summary), key=finding_sort_key)
        if item.rollout is not None:
            item.disruption = disruption_of(summary, item.key)
    from podlint.assumptions import unmatched_warnings
    from podlint.run import walks_folders
    containers = {name for item in out for name, _ in item.containers}
    for warning in unmatched_warnings(settings, containers, where="explained",
                                      check_config=walks_folders(paths) and not workloads):
        err.write(warning + "\n")
    for text in selection.unmatched():
        from podlint.reporters import printable
        err.write(f"podlint: error: no workload matched --workload {printable(text)}\n")
        status = EXIT_ERROR
    return out, status


def disruption_of(summary, key: tuple) -> dict | None:
    """explain's `disruption` object for the workload whose document is `key`:
    the budgets and autoscalers acting on it in its scope (podlint.disruption)."""
    from podlint.disruption import disruption_document

    pod = summary.pods.get(key)
    if pod is None:
        return None
    index = summary.index
    scalers = index.autoscalers_for(pod)
    budgets = [index.covered(b) for b in index.budgets_for(pod)]
    return disruption_document(pod, budgets, scalers)


def _explain_file(source, settings: Settings, plan, workloads: tuple) -> _FileExplained:
    """Load, lint and explain one file (run.map_files calls it, maybe in a worker)."""
    import io

    from podlint.assumptions import resolve_assumptions
    from podlint.crossfile import Summary
    from podlint.engine import lint_loaded
    from podlint.loader import load_source
    from podlint.crossfile import object_key
    from podlint.model import model_document
    from podlint.rollout import rollout_for
    from podlint.timeline import build_timeline
    from podlint.workloads import WorkloadFilter

    err = io.StringIO()
    selection = WorkloadFilter(workloads)
    failed = False
    out: list[Explained] = []
    loaded = load_source(source, settings.max_file_size)
    for finding in loaded.findings:       # PL001 (unreadable, unparsable), PL002
        _report(err, finding)
        failed = True
    if loaded.skipped:
        from podlint.reporters import printable
        err.write(f"{printable(loaded.path)}: skipped: {printable(loaded.skipped)}\n")
    if not loaded.documents:
        return _FileExplained(out, Summary(), err.getvalue(), failed, selection.matched)
    result = lint_loaded(loaded, settings, plan)
    for finding in result.findings:       # a crashed rule (PL000) is an error here too
        if finding.code == "PL000":
            _report(err, finding)
            failed = True
    by_document = _findings_by_document(result.findings, loaded)
    for document in loaded.documents:
        workload, pod, problem = model_document(document)
        if problem is not None:
            _report(err, problem)
            failed = True
            continue
        if pod is None or not selection.selects(workload):
            continue
        assumptions = resolve_assumptions(settings, workload)
        timeline = build_timeline(pod, assumptions, settings.kubernetes_version)
        mine = [f for f in by_document.get(document.line, ())
                if f.workload in (None, workload.ref) and f.code not in ("PL001",)]
        out.append(Explained(
            workload.kind, workload.name, workload.namespace, workload.api_version,
            workload.path, workload.location.line, workload.location.column, timeline, mine,
            tuple((c.name, c.role) for c in pod.all_containers)
            + tuple((c["name"], f"implied {c['role']}") for c in getattr(timeline, "implied", ())),
            _anchors(pod), rollout_for(workload, timeline, assumptions.nodes), object_key(document)))
    return _FileExplained(out, result.summary, err.getvalue(), failed, selection.matched)


def _findings_by_document(findings, loaded) -> dict[int, list[Finding]]:
    """The file's findings grouped by the first line of the document they fall in
    (one pass and a bisection each: a bundle of 20,000 documents stays linear)."""
    import bisect

    starts = sorted({d.line for d in loaded.documents})
    grouped: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.location.path != loaded.path:
            continue
        at = bisect.bisect_right(starts, finding.location.line) - 1
        if at >= 0:
            grouped.setdefault(starts[at], []).append(finding)
    return grouped


_HOOK_EVENTS = {"post_start": "post-start-completed", "pre_stop": "pre-stop-completed"}


def _anchors(pod) -> tuple[tuple[int, str, str | None], ...]:
    """(line, container, event) for every container, probe and hook of the pod."""
    out: list[tuple[int, str, str | None]] = []
    for container in pod.all_containers:
        out.append((container.location.line, container.name, None))
        for probe in container.probes:
            out.append((probe.location.line, container.name, f"{probe.kind}-probe-first"))
        for attribute, event in _HOOK_EVENTS.items():
            hook = getattr(container, attribute, None)
            if hook is not None:
                out.append((hook.location.line, container.name, event))
    return tuple(out)


def _crashed_files(sources, reason: str) -> list[_FileExplained]:
    """A file whose --jobs worker died: reported on stderr like a crashed rule."""
    import io

    from podlint.crossfile import Summary

    out = []
    for source in sources:
        finding = Finding(Location(source.path, 1, 1), "PL000", "internal-error", "error",
                          f"file not explained: {reason}"[:300])
        buffer = io.StringIO()
        _report(buffer, finding)
        out.append(_FileExplained([], Summary(), buffer.getvalue(), True, []))
    return out


def run_explain(paths, settings: Settings, fmt: str, workloads, stream: TextIO,
                color: bool = False, err: TextIO | None = None, jobs: int | None = None) -> int:
    """Explain every workload under `paths` in format `fmt`; 0, or 2 when a file
    could not be read or parsed, or a --workload matched nothing."""
    err = err if err is not None else sys.stderr
    if fmt not in FORMATS:
        err.write(f"podlint: error: unknown explain format {fmt!r}\n")
        return EXIT_ERROR
    explained, status = collect(paths, settings, workloads, err, jobs)
    from podlint.explain_render import render
    render(fmt, explained, settings, stream, color=color)
    return status
