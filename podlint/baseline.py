"""Baselines: adopt podlint on a repository with known findings, fail only on new ones.

`podlint lint --write-baseline FILE` records the run's findings; `--baseline FILE`
(or the config key `baseline`) hides every finding the file records and reports
the rest. Findings are matched by fingerprint (podlint.fingerprint: code, object,
container, field path), never by line, so edits elsewhere in a file, moved
documents and moved files keep known findings known. Matching counts: a file that
records a fingerprint twice hides two findings with it, not more.

An entry that matches nothing is *fixed*: `--report-fixed` lists those entries
so the file can shrink (rewrite it with `--write-baseline`). Parse errors and
internal errors (PL001, PL000) are never recorded and never hidden: a baseline
must not make a broken file look clean.

The format (docs/baseline.md) is JSON, one entry per finding, sorted like the
run's output; only `fingerprint` is read back, the other keys are for the
people reviewing the file in a pull request.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace

from podlint import __version__

FORMAT_VERSION = 1
NEVER_BASELINED = ("PL000", "PL001")


class BaselineError(Exception):
    """An unreadable or malformed baseline file (exit 2)."""


@dataclass
class Baseline:
    path: str
    entries: list[dict]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entry in self.entries:
            out[entry["fingerprint"]] = out.get(entry["fingerprint"], 0) + 1
        return out


@dataclass
class BaselineOutcome:
    """What applying a baseline did: how many findings it hid, which entries are stale."""
    path: str
    known: int = 0
    fixed: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"path": self.path, "known": self.known, "fixed": self.fixed}


def entry_for(finding) -> dict:
    return {
        "fingerprint": finding.fingerprint,
        "code": finding.code,
        "workload": finding.workload,
        "container": finding.container,
        "field_path": finding.field_path,
        "path": finding.location.path,
        "line": finding.location.line,
        "message": finding.message,
    }


def document(findings) -> dict:
    entries = [entry_for(f) for f in findings
               if f.code not in NEVER_BASELINED and f.fingerprint]
    return {"podlint_baseline": FORMAT_VERSION, "podlint_version": __version__,
            "findings": entries}


def write(findings, path: str) -> int:
    """Write the baseline; returns the number of entries."""
    doc = document(findings)
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            json.dump(doc, out, indent=2, ensure_ascii=True)
            out.write("\n")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {(exc.strerror or str(exc)).lower()}") from None
    return len(doc["findings"])


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except FileNotFoundError:
        raise BaselineError(f"baseline {path} does not exist; create it with "
                            f"`podlint lint --write-baseline {path}`") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {(exc.strerror or str(exc)).lower()}") from None
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"baseline {path} is not JSON: {str(exc)[:120]}") from None
    if not isinstance(raw, dict) or raw.get("podlint_baseline") != FORMAT_VERSION \
            or not isinstance(raw.get("findings"), list):
        raise BaselineError(f"baseline {path} is not a podlint baseline (version {FORMAT_VERSION}): "
                            "expected {\"podlint_baseline\": 1, \"findings\": [...]}")
    entries = []
    for number, entry in enumerate(raw["findings"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise BaselineError(f"baseline {path}: findings[{number}] has no fingerprint")
        entries.append(entry)
    return Baseline(path, entries)


def split(findings, baseline: Baseline) -> tuple[list, BaselineOutcome]:
    """(findings not in the baseline, what the baseline matched and what is stale)."""
    remaining = baseline.counts()
    outcome = BaselineOutcome(baseline.path)
    kept = []
    for finding in findings:
        fp = finding.fingerprint
        if finding.code not in NEVER_BASELINED and fp and remaining.get(fp, 0) > 0:
            remaining[fp] -= 1
            outcome.known += 1
        else:
            kept.append(finding)
    # Stale entries: of several entries with one fingerprint, the last ones are the leftovers.
    for entry in reversed(baseline.entries):
        fp = entry["fingerprint"]
        if remaining.get(fp, 0) > 0:
            remaining[fp] -= 1
            outcome.fixed.append(entry)
    outcome.fixed.reverse()
    return kept, outcome


def apply(result, baseline: Baseline):
    """A RunResult holding only the findings the baseline does not know, its
    summary recounted, and the outcome."""
    kept, outcome = split(result.findings, baseline)
    summary = replace(result.summary, findings=len(kept),
                      by_severity={"error": 0, "warning": 0, "info": 0}, by_code={})
    for finding in kept:
        summary.by_severity[finding.severity] = summary.by_severity.get(finding.severity, 0) + 1
        summary.by_code[finding.code] = summary.by_code.get(finding.code, 0) + 1
    return replace(result, findings=kept, summary=summary), outcome


def resolve_config_path(value: str, config_path: str | None) -> str:
    """A `baseline:` key is relative to the folder of the config file naming it."""
    if os.path.isabs(value) or not config_path:
        return value
    return os.path.join(os.path.dirname(os.path.abspath(config_path)), value)


def render_outcome(outcome: BaselineOutcome, report_fixed: bool) -> str:
    """The text lines `lint` prints after its report."""
    lines = [f"baseline {outcome.path}: {outcome.known} known finding"
             f"{'' if outcome.known == 1 else 's'} hidden, {len(outcome.fixed)} "
             f"entr{'y' if len(outcome.fixed) == 1 else 'ies'} no longer found"]
    if report_fixed:
        from podlint.reporters import printable
        for entry in outcome.fixed:
            who = "/".join(str(x) for x in (entry.get("workload"), entry.get("container")) if x)
            lines.append(f"  fixed: {printable(entry.get('path'))}:{entry.get('line')}: "
                         f"{printable(entry.get('code'))} {printable(entry.get('message'))}"
                         f"{f' ({printable(who)})' if who else ''}")
        if outcome.fixed:
            lines.append(f"  shrink the file: podlint lint --write-baseline {outcome.path} ...")
    return "\n".join(lines) + "\n"
