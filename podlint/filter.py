"""Which rules run where, severity overrides, and suppressions.

Selection happens before rules run (an unselected rule costs nothing);
suppressions after: the `podlint/ignore` annotation silences rules for one
object, a `# podlint: ignore=CODE` comment one line. A suppression must name
codes or names (no blanket form); an unknown one is reported as PL005, and with
`--report-unused-ignores` one that silenced nothing as PL006.
"""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

from podlint.config import Settings
from podlint.finding import Finding, Location
from podlint.loader import Directive, Document, LoadedFile

ANNOTATION = "podlint/ignore"
ALWAYS_ON = frozenset({"PL000", "PL001"})      # crashes and unreadable input are never hidden


@dataclass
class RulePlan:
    """The rules in force, resolved once per run (picklable for workers)."""
    rules: tuple                         # RuleSpec, in code order
    severity: dict[str, str] = field(default_factory=dict)
    per_path: tuple[tuple[str, frozenset[str]], ...] = ()

    @classmethod
    def build(cls, settings: Settings, all_rules) -> "RulePlan":
        from podlint.registry import resolve_selector

        if settings.select is None:
            chosen = {spec.code for spec in all_rules if spec.default}
        else:
            chosen = {spec.code for sel in settings.select for spec in resolve_selector(sel)}
        chosen |= {spec.code for sel in settings.extend_select for spec in resolve_selector(sel)}
        chosen -= {spec.code for sel in settings.ignore for spec in resolve_selector(sel)}
        chosen |= ALWAYS_ON
        if not settings.report_unused_ignores:
            chosen.discard("PL006")
        per_path = tuple((glob, frozenset(spec.code for sel in codes for spec in resolve_selector(sel)))
                         for glob, codes in settings.per_path_ignores)
        rules = tuple(spec for spec in all_rules if spec.code in chosen)
        if not settings.schema:
            rules = tuple(spec for spec in rules if spec.code != "PL003")
        return cls(rules, dict(settings.severity), per_path)

    def _ignored_for(self, path: str) -> frozenset[str]:
        ignored: set[str] = set()
        normalized = path.replace("\\", "/")
        for glob, codes in self.per_path:
            if fnmatch.fnmatch(normalized, glob) or fnmatch.fnmatch(normalized, f"*/{glob}") \
                    or fnmatch.fnmatch(normalized.lstrip("./"), glob):
                ignored |= codes
        return frozenset(ignored - ALWAYS_ON)

    def rules_for(self, path: str) -> list:
        ignored = self._ignored_for(path) if self.per_path else frozenset()
        return [spec for spec in self.rules if spec.code not in ignored]

    def enabled(self, code: str, path: str) -> bool:
        return any(spec.code == code for spec in self.rules_for(path))

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(spec.code for spec in self.rules)

    def annotate(self, findings: list[Finding], document: Document, workload) -> list[Finding]:
        """Severity overrides and the object's `podlint/ignore` annotation."""
        if self.severity:
            findings = [f.with_severity(self.severity[f.code]) if f.code in self.severity else f
                        for f in findings]
        suppressed, location, raw = _annotation_codes(document, workload)
        if raw is None:
            return findings
        out = [f for f in findings if f.code in ALWAYS_ON or f.code not in suppressed]
        for selector in raw:
            if not _resolve(selector) and "PL005" in self.codes:
                out.append(Finding(location, "PL005", "invalid-suppression", "warning",
                                   f'{ANNOTATION} names unknown rule "{_printable(selector)}"',
                                   None, None, "use a rule code such as PL301 or a name such as "
                                   "missing-prestop; see `podlint rules`"))
        return out


def _resolve(selector: str) -> set[str]:
    from podlint.registry import resolve_selector

    return {spec.code for spec in resolve_selector(selector)} if selector else set()


def _printable(text: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)
    return cleaned[:60]


def _annotation_codes(document: Document, workload) -> tuple[set[str], Location, list[str] | None]:
    """Codes named by podlint/ignore on the object or on its pod template."""
    sources = [document.data]
    if workload is not None and workload.template is not document.data:
        sources.append(workload.template)
    codes: set[str] = set()
    raw: list[str] | None = None
    location = Location(document.path, document.line, document.column)
    for source in sources:
        metadata = source.get("metadata") if isinstance(source, dict) else None
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        value = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
        if not isinstance(value, str):
            continue
        try:
            line, column = annotations.lc.value(ANNOTATION)
            location = Location(document.path, line + 1, column + 1)
        except Exception:
            pass
        selectors = [part.strip() for part in value.split(",") if part.strip()]
        raw = (raw or []) + selectors
        for selector in selectors:
            codes |= _resolve(selector)
    return codes, location, raw


def apply_suppressions(findings: list[Finding], loaded: LoadedFile, settings: Settings,
                       plan: RulePlan) -> list[Finding]:
    """Drop findings silenced by `# podlint: ignore=` comments; report bad directives."""
    if not loaded.directives:
        return findings
    by_line: dict[int, list[tuple[Directive, set[str]]]] = {}
    problems: list[Finding] = []
    for directive in loaded.directives:
        where = Location(loaded.path, directive.line, directive.column)
        if not directive.codes:
            problems.append(Finding(where, "PL005", "invalid-suppression", "warning",
                                    f'"{_printable(directive.text)}" names no rule: podlint has '
                                    "no blanket ignore", None, None,
                                    "write # podlint: ignore=PL301 (codes or names, comma-separated)"))
            continue
        codes: set[str] = set()
        for selector in directive.codes:
            resolved = _resolve(selector)
            if not resolved:
                problems.append(Finding(where, "PL005", "invalid-suppression", "warning",
                                        f'suppression names unknown rule "{_printable(selector)}"',
                                        None, None, "see `podlint rules` for codes and names"))
            codes |= resolved
        by_line.setdefault(directive.target, []).append((directive, codes))
    used: set[int] = set()
    kept = []
    for finding in findings:
        silenced = False
        if finding.code not in ALWAYS_ON:
            for directive, codes in by_line.get(finding.location.line, ()):
                if finding.code in codes:
                    silenced = True
                    used.add(id(directive))
        if not silenced:
            kept.append(finding)
    if settings.report_unused_ignores and "PL006" in plan.codes:
        for entries in by_line.values():
            for directive, codes in entries:
                if codes and id(directive) not in used:
                    kept.append(Finding(Location(loaded.path, directive.line, directive.column),
                                        "PL006", "unused-suppression", "info",
                                        f'"{_printable(directive.text)}" silences nothing on '
                                        f"line {directive.target}", None, None,
                                        "remove the comment, or move it to the flagged line"))
    if plan.enabled("PL005", loaded.path):
        kept.extend(problems)
    return kept
