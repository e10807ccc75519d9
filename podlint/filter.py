"""Which rules run where, severity overrides, and suppressions.

Selection happens before rules run (an unselected rule costs nothing);
suppressions after: the `podlint/ignore` annotation silences rules for one
object, a `# podlint: ignore=CODES` comment one line. A suppression must name
codes, prefixes with a digit (PL3) or names: `ALL`, a bare letter prefix (`PL`)
or a comment without codes is a blanket ignore, reported as PL005 and silencing
nothing, as is an unknown rule. With PL006 selected (`--report-unused-ignores`
or `--extend-select PL006`) a suppression naming a rule that ran but found
nothing there is reported.

Opt-in rules are turned on only by their exact code or name
(registry.resolve_selection); `ignore`, per-path ignores and suppressions may
name them through any prefix.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from podlint.config import Settings
from podlint.finding import Finding, Location
from podlint.loader import Directive, Document, LoadedFile

ANNOTATION = "podlint/ignore"
ALWAYS_ON = frozenset({"PL000", "PL001"})      # crashes and unreadable input are never hidden
UNUSED = "PL006"
# A suppression names a few rules; a hostile file could name hundreds of
# thousands on one line, and each unknown one would be a PL005 finding.
MAX_SELECTORS = 64


@dataclass
class RulePlan:
    """The rules in force, resolved once per run (picklable for workers)."""
    rules: tuple                         # RuleSpec, in code order
    severity: dict[str, str] = field(default_factory=dict)
    per_path: tuple[tuple[str, frozenset[str]], ...] = ()

    @classmethod
    def build(cls, settings: Settings, all_rules) -> "RulePlan":
        from podlint.registry import resolve_selection, resolve_selector

        if settings.select is None:
            chosen = {spec.code for spec in all_rules if spec.default}
        else:
            chosen = {spec.code for sel in settings.select for spec in resolve_selection(sel)}
        chosen |= {spec.code for sel in settings.extend_select for spec in resolve_selection(sel)}
        if settings.report_unused_ignores:      # the flag is PL006 by another name
            chosen.add(UNUSED)
        chosen -= {spec.code for sel in settings.ignore for spec in resolve_selector(sel)}
        chosen |= ALWAYS_ON
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
        """Severity overrides and the object's `podlint/ignore` annotations."""
        if workload is not None and self.enabled("PL005", document.path):
            findings = findings + _assume_problems(document, workload)
        sources = _annotations(document, workload)
        if not sources:
            return self.override(findings)
        silenced_codes: set[str] = set()
        out = []
        for finding in findings:
            if finding.code not in ALWAYS_ON and any(finding.code in a.codes for a in sources):
                silenced_codes.add(finding.code)
            else:
                out.append(finding)
        path = document.path
        subject = workload.ref if workload is not None else None
        for source in sources:
            if self.enabled("PL005", path):
                out.extend(_invalid(source.location, f"{ANNOTATION} ", source.selectors, subject))
            if self.enabled(UNUSED, path):
                out.extend(self._unused(source.location, f'{ANNOTATION} "{_printable(source.text)}"',
                                        source.selectors, silenced_codes, path,
                                        f"in {subject}" if subject else "on this object", subject,
                                        "remove the rules from the annotation"))
        return self.override(out)

    def override(self, findings: list[Finding]) -> list[Finding]:
        """The config's `rules: {CODE: {severity: ...}}`, PL005 and PL006 included."""
        if not self.severity:
            return findings
        return [f.with_severity(self.severity[f.code]) if f.code in self.severity else f
                for f in findings]

    def _unused(self, where: Location, label: str, selectors, silenced: set[str], path: str,
                scope: str, subject: str | None, hint: str) -> list[Finding]:
        """PL006 for the selectors of one suppression that silenced nothing.

        A selector counts only if a rule it names ran on this file: a suppression
        for a rule left out of this run (`--select`, per-path ignores) is not
        unused, only idle. Invalid selectors are PL005's business. A selector
        that silenced a conditional finding (PL301 "if a Service selects the
        pod") counts as used even if the run later drops that finding: PL006
        may miss such a stale suppression, but never reports a needed one."""
        running = self.codes - self._ignored_for(path) if self.per_path else self.codes
        idle = []
        for selector in selectors:
            codes, problem = resolve_suppression(selector)
            if problem or not (codes & running):
                continue
            if not (codes & silenced):
                idle.append(selector)
        if not idle:
            return []
        if len(idle) == len(selectors):
            message = f"{label} silences nothing {scope}"
        else:
            names = ", ".join(_printable(s) for s in idle)
            message = f"{label}: {names} {'silences' if len(idle) == 1 else 'silence'} nothing {scope}"
        return [Finding(where, UNUSED, "unused-suppression", "info", message, subject, None, hint)]


# ----------------------------------------------------------------------------- selectors

# After a space, a word continues the list if it is written like a code: capitals
# then a digit (PL401, and typos such as PL4O1 or PL9999, which PL005 reports).
_CODE_SHAPED = re.compile(r"^[A-Z]{2,4}\d[A-Z0-9]*$")
_LETTERS_ONLY = re.compile(r"^[A-Za-z]{1,4}$")


def resolve_suppression(selector: str) -> tuple[frozenset[str], str | None]:
    """The codes a suppression selector silences, or a problem (PL005 message).

    Suppressions take codes, prefixes that contain a digit (PL5) and names.
    `ALL` and a bare letter prefix (`PL`) would silence every rule, PL003's
    schema errors included: podlint has no blanket ignore (flake8's maintainers
    call bare `noqa` their biggest regret)."""
    from podlint.registry import resolve_selector, rule_index

    if selector == TOO_MANY:
        return frozenset(), f"names more than {MAX_SELECTORS} rules: the rest are not read"
    text = selector.strip()
    shown = _printable(text)
    if not text:
        return frozenset(), "names no rule"
    if text.upper() == "ALL" or (_LETTERS_ONLY.match(text) and text not in rule_index()):
        return frozenset(), (f'"{shown}" is a blanket ignore, and podlint has none: name the '
                             "rules, e.g. PL301 or missing-prestop")
    codes = frozenset(spec.code for spec in resolve_selector(text))
    if not codes:
        return codes, f'names unknown rule "{shown}"'
    if codes <= ALWAYS_ON:
        return frozenset(), (f'"{shown}" cannot be silenced: podlint always reports unreadable '
                             "input and crashed rules")
    return codes - ALWAYS_ON, None


def _invalid(where: Location, prefix: str, selectors, subject: str | None) -> list[Finding]:
    out = []
    for selector in selectors:
        _, problem = resolve_suppression(selector)
        if problem:
            out.append(Finding(where, "PL005", "invalid-suppression", "warning", prefix + problem,
                               subject, None, "use rule codes such as PL301 or names such as "
                               "missing-prestop, comma-separated; see `podlint rules`"))
    return out


def _printable(text: str) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text)
    return cleaned[:60]


# ----------------------------------------------------------------------------- annotations

@dataclass(frozen=True)
class _Annotation:
    location: Location
    text: str
    selectors: tuple[str, ...]
    codes: frozenset[str]


def _annotations(document: Document, workload) -> list[_Annotation]:
    """`podlint/ignore` on the object and on its pod template, each with its line."""
    sources = [document.data]
    if workload is not None and workload.template is not document.data:
        sources.append(workload.template)
    out = []
    for source in sources:
        metadata = source.get("metadata") if isinstance(source, dict) else None
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        value = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
        if not isinstance(value, str):
            continue
        location = Location(document.path, document.line, document.column)
        try:
            line, column = annotations.lc.value(ANNOTATION)
            location = Location(document.path, line + 1, column + 1)
        except Exception:
            pass
        selectors = _annotation_selectors(value)
        codes: set[str] = set()
        for selector in selectors:
            codes |= resolve_suppression(selector)[0]
        out.append(_Annotation(location, value, selectors, frozenset(codes)))
    return out


def _assume_problems(document: Document, workload) -> list[Finding]:
    """PL005 for `podlint/assume` entries that change nothing: malformed, or naming
    a container the pod lacks (a typo that would leave the timeline unbounded)."""
    from podlint.assumptions import annotation_problems, annotation_text

    if annotation_text(workload) is None:
        return []
    template = workload.template if isinstance(workload.template, dict) else {}
    spec = template.get("spec")
    names: set[str] = set()
    for key in ("initContainers", "containers", "ephemeralContainers"):
        items = spec.get(key) if isinstance(spec, dict) else None
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                names.add(item["name"])
    if not names:               # a patch fragment without containers: nothing to check against
        return []
    out = []
    for annotations, _, message in annotation_problems(workload, names):
        location = Location(document.path, document.line, document.column)
        try:
            line, column = annotations.lc.value("podlint/assume")
            location = Location(document.path, line + 1, column + 1)
        except Exception:
            pass
        out.append(Finding(location, "PL005", "invalid-suppression", "warning", message,
                           workload.ref, None, "write CONTAINER.startup=45s, CONTAINER.run=2m, "
                           "CONTAINER.shutdown=10s or image-pull=5s, comma-separated"))
    return out


# ----------------------------------------------------------------------------- comments

_COMMENT = re.compile(r"^#\s*podlint\s*:\s*ignore\s*=(.*)$", re.S)
_TOKEN = re.compile(r",|[^\s,]+")


def comment_selectors(text: str) -> tuple[str, ...]:
    """The rules a `# podlint: ignore=...` comment names.

    Codes are separated by commas or spaces (`ignore=PL401,PL202` and
    `ignore=PL401 PL202` both silence both, as flake8's and ruff's `noqa`
    do). The first word after `ignore=` and any word after a comma is a rule
    selector; after a space, a word continues the list when it is written like
    a code (capitals, then a digit), is ALL, or is a rule's name. The first other
    word ends the list, and the rest is the reason: `ignore=PL505 -- node
    agent`. A code-shaped typo (`PL2O2`, `PL9999`) is therefore PL005, never a
    silent reason."""
    from podlint.registry import rule_index

    match = _COMMENT.match(text.strip())
    if not match:
        return ()
    names = rule_index()
    out: dict[str, None] = {}
    after_comma = True
    for found in _TOKEN.finditer(match.group(1)):
        token = found.group()
        if token == ",":
            after_comma = True
            continue
        if not (after_comma or _CODE_SHAPED.match(token) or token == "ALL" or token in names):
            break
        after_comma = False
        if token not in out and len(out) == MAX_SELECTORS:
            return (*out, TOO_MANY)
        out[token] = None
    return tuple(out)


def _annotation_selectors(value: str) -> tuple[str, ...]:
    """The rules of a `podlint/ignore` value (separated by commas or spaces, as in
    comments), without repeats."""
    out: dict[str, None] = {}
    for found in re.finditer(r"[^\s,]+", value):
        part = found.group()
        if part not in out:
            if len(out) == MAX_SELECTORS:
                return (*out, TOO_MANY)
            out[part] = None
    return tuple(out) or ("",)


TOO_MANY = "\0too-many"    # stands for the selectors past MAX_SELECTORS; PL005 says so


def apply_suppressions(findings: list[Finding], loaded: LoadedFile, settings: Settings,
                       plan: RulePlan) -> list[Finding]:
    """Drop findings silenced by `# podlint: ignore=` comments; report bad and idle ones."""
    if not loaded.directives:
        return findings
    path = loaded.path
    by_line: dict[int, list[tuple[Directive, frozenset[str]]]] = {}
    parsed: list[tuple[Directive, tuple[str, ...]]] = []
    problems: list[Finding] = []
    for directive in loaded.directives:
        where = Location(path, directive.line, directive.column)
        selectors = comment_selectors(directive.text)
        parsed.append((directive, selectors))
        if not selectors:
            problems.append(Finding(where, "PL005", "invalid-suppression", "warning",
                                    f'"{_printable(directive.text)}" names no rule: podlint has '
                                    "no blanket ignore", None, None,
                                    "write # podlint: ignore=PL301 (codes or names, comma-separated)"))
            continue
        problems.extend(_invalid(where, "suppression ", selectors, None))
        codes: set[str] = set()
        for selector in selectors:
            codes |= resolve_suppression(selector)[0]
        by_line.setdefault(directive.target, []).append((directive, frozenset(codes)))
    silenced: dict[int, set[str]] = {}         # id(directive) -> codes it silenced
    kept = []
    for finding in findings:
        hit = False
        if finding.code not in ALWAYS_ON:
            for directive, codes in by_line.get(finding.location.line, ()):
                if finding.code in codes:
                    hit = True
                    silenced.setdefault(id(directive), set()).add(finding.code)
        if not hit:
            kept.append(finding)
    if plan.enabled(UNUSED, path):
        for directive, selectors in parsed:
            if selectors:
                kept.extend(plan._unused(Location(path, directive.line, directive.column),
                                         f'"{_printable(directive.text)}"', selectors,
                                         silenced.get(id(directive), set()), path,
                                         f"on line {directive.target}", None,
                                         "remove the comment, or move it to the flagged line"))
    if plan.enabled("PL005", path):
        kept.extend(problems)
    return plan.override(kept)          # idempotent: re-applies nothing to overridden findings
