"""Lint one loaded file: documents -> workloads -> pods -> rules -> filtered findings.

Pure apart from the rules it calls: takes a LoadedFile and Settings, returns a
FileResult (findings, counts, cross-file summary). Runs in the parent process
or in a `--jobs` worker alike. A rule that raises becomes a PL000 finding and
the other rules still run. On an object dumped from a cluster
(purpose.live_object_reason: uid, resourceVersion, status, ...) the rules'
advice, the findings they emit as info, is dropped before severity overrides:
nobody edits a dump (design.md 7); errors and warnings stay.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from podlint.config import Settings
from podlint.context import Context
from podlint.crossfile import Summary
from podlint.filter import RulePlan, apply_suppressions
from podlint.finding import Finding, Location
from podlint.fingerprint import stamp
from podlint.loader import LoadedFile
from podlint.model import model_document
from podlint.purpose import live_object_reason
from podlint.workloads import object_identity


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    workloads: int = 0
    parse_failed: bool = False
    skipped: str | None = None
    summary: Summary = field(default_factory=Summary)
    containers: set[str] = field(default_factory=set)      # names, to check --assume against


def internal_error(location: Location, rule_code: str, where: str, exc: BaseException,
                   workload: str | None = None) -> Finding:
    detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return Finding(location, "PL000", "internal-error", "error",
                   f"rule {rule_code} crashed on {where}: {detail}", workload, None,
                   "report this as a bug in the rule; the other rules still ran")


def lint_loaded(loaded: LoadedFile, settings: Settings, plan: RulePlan) -> FileResult:
    result = FileResult(loaded.path, list(loaded.findings), len(loaded.documents),
                        parse_failed=loaded.parse_failed, skipped=loaded.skipped)
    rules = plan.rules_for(loaded.path)
    document_rules = [r for r in rules if r.scope == "document"]
    pod_rules = [r for r in rules if r.scope == "pod"]
    model_errors = plan.enabled("PL002", loaded.path)
    for document in loaded.documents:
        found: list[Finding] = []
        identity = object_identity(document.data)
        result.summary.add_document(document, *(identity[1:] if identity else (None, None, None)))
        ctx = Context(settings, document)
        _run(document_rules, ctx, found)
        workload, pod, problem = model_document(document)
        if problem is not None and model_errors:
            found.append(problem)
        if pod is not None:
            result.workloads += 1
            result.containers.update(c.name for c in pod.all_containers if isinstance(c.name, str))
            result.summary.add_pod(document, pod)
            pod_ctx = Context(settings, document, workload, pod)
            _run(pod_rules, pod_ctx, found)
        if live_object_reason(document.data):
            found = [f for f in found if f.severity != "info"]     # advice on a dump: noise
        result.findings.extend(plan.annotate(found, document, workload))
    result.findings = stamp(apply_suppressions(result.findings, loaded, settings, plan),
                            loaded.documents)
    if loaded.helm is not None:     # after suppressions, which read the rendered lines
        from podlint.helm_source import remap, stream_label
        label, chart = stream_label(loaded.path, settings.helm_charts)
        result.findings = remap(result.findings, loaded.helm, label, chart, loaded.path)
    return result


def _run(rules, ctx: Context, out: list[Finding]) -> None:
    for spec in rules:
        ctx.rule = spec
        try:
            for finding in spec.check(ctx) or ():
                out.append(finding)
        except Exception as exc:        # a buggy rule must not take the run down
            where = ctx.object_ref or f"document {ctx.document.index + 1}"
            location = Location(ctx.path, ctx.document.line, ctx.document.column)
            out.append(internal_error(location, spec.code, where, exc, ctx.object_ref))
