"""`podlint diff` output: text for terminals, JSON, and Markdown for a pull-request comment.

Everything shown comes from manifests a stranger may write, so text goes through
`printable()` and Markdown through `md()`, which also neutralises the characters
that would break a table or open HTML (`|`, `<`, `>`, backticks, newlines).
"""
from __future__ import annotations

import json
from typing import Any, TextIO

from podlint.explain_render import fmt_range, fmt_time
from podlint.reporters import dump_json, printable

FORMATS = ("text", "json", "markdown")
ERRORS_NOTE = ("(a file that cannot be read or parsed contributes no objects: "
               "what it held shows as removed)")
MAX_LISTED = 50         # template changes shown per workload in text and Markdown


def render(fmt: str, result, out: TextIO) -> None:
    if fmt == "json":
        dump_json(result.to_dict(), out)
    elif fmt == "markdown":
        out.write(markdown(result))
    else:
        out.write(text(result))


# ----------------------------------------------------------------------------- values

def metric_label(name: str) -> str:
    if name == "ready":
        return "pod Ready"
    if name == "stop":
        return "pod gone after deletion"
    if name == "grace":
        return "grace period"
    if name == "rollout":
        return "predicted rollout"
    if name == "services":
        return "selected by Services"
    kind, _, container = name.partition(":")
    label = {"pre_stop": "preStop", "liveness_restart": "liveness restart"}.get(kind, kind)
    return f"{label} ({container})" if container else label


def metric_value(name: str, value: Any) -> str:
    if value is None:
        kind = name.partition(":")[0]
        return {"liveness_restart": "no liveness probe", "pre_stop": "no preStop",
                "rollout": "-"}.get(kind, "none")
    if name == "grace":
        return f"{fmt_time(value)} s"
    if name == "services" and isinstance(value, list):
        return ", ".join(value) if value else "none (no traffic)"
    if name == "rollout" and isinstance(value, dict):
        parts = []
        if value.get("strategy"):
            parts.append(str(value["strategy"]))
        if value.get("waves") is not None:
            parts.append(f"{value['waves']} wave{'s' if value['waves'] != 1 else ''}")
        if value.get("min_available") is not None:
            parts.append(f"min available {value['min_available']}")
        if "duration_earliest" in value:
            parts.append(fmt_range(value.get("duration_earliest") or 0, value.get("duration_latest")))
        return ", ".join(parts) or "-"
    if name.startswith("pre_stop:") and isinstance(value, dict):
        hook = fmt_range(value.get("earliest") or 0, value.get("latest"))
        grace = value.get("grace")
        over = grace is not None and (value.get("earliest") or 0) > grace
        return f"{hook} of the {fmt_time(grace)} s grace{' (SIGKILL first)' if over else ''}"
    if isinstance(value, dict) and "earliest" in value:
        if value.get("never"):
            return "never"
        return fmt_range(value.get("earliest") or 0, value.get("latest"))
    return json.dumps(value, sort_keys=True)


def short(value: Any, limit: int = 60) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _where(item) -> str:
    if item.path is None:
        return ""
    return f"{item.path}:{item.line}" if item.line else item.path


def _headline(result) -> str:
    c = result.counts()
    return (f"{c['changed']} changed, {c['added']} added, {c['removed']} removed, "
            f"{c['unchanged']} unchanged; {c['rollouts']} rollout{'s' if c['rollouts'] != 1 else ''}, "
            f"{c['immutable']} immutable change{'s' if c['immutable'] != 1 else ''}; findings: "
            f"{c['introduced']} introduced, {c['fixed']} fixed")


# ----------------------------------------------------------------------------- text

def _finding_line(sign: str, f) -> str:
    who = "/".join(x for x in (f.workload, f.container) if x)
    return (f"    {sign} {printable(f.location.path)}:{f.location.line}:{f.location.column}: "
            f"{f.code} [{f.severity}] {printable(f.message)}{f' ({printable(who)})' if who else ''}")


def text(result) -> str:
    lines = [f"podlint diff {printable(result.old_label)} -> {printable(result.new_label)}: "
             f"{_headline(result)}"]
    for f in result.errors:
        lines.append(f"error: {printable(f.location.path)}:{f.location.line}:{f.location.column}: "
                     f"{f.code} {printable(f.message)}")
    if result.errors:
        lines.append(ERRORS_NOTE)
    for item in result.objects:
        if not item.interesting:
            continue
        where = _where(item)
        lines.append("")
        lines.append(f"{printable(item.ref)}: {item.status}"
                     f"{f' ({printable(where)})' if where else ''}")
        if item.rollout:
            lines.append(f"  rollout: {item.rollout}")
        elif item.workload and item.status == "changed" and not item.template_changes:
            lines.append("  rollout: no (pod template unchanged)")
        for change in item.template_changes[:MAX_LISTED]:
            lines.append(f"    {printable(change.path)}: {printable(short(change.old))} -> "
                         f"{printable(short(change.new))}")
        if item.template_changes_total > MAX_LISTED:
            lines.append(f"    ... and {item.template_changes_total - MAX_LISTED} more")
        if item.immutable:
            lines.append(f"  IMMUTABLE: {printable(item.immutable_note)}")
            for change in item.immutable:
                lines.append(f"    {printable(change.path)}: {printable(short(change.old))} -> "
                             f"{printable(short(change.new))}")
        for row in item.metrics:
            if row.get("changed", True):
                lines.append(f"  {metric_label(row['metric'])}: "
                             f"{metric_value(row['metric'], row['old'])} -> "
                             f"{metric_value(row['metric'], row['new'])}")
            else:
                lines.append(f"  {metric_label(row['metric'])}: "
                             f"{metric_value(row['metric'], row['new'])} (unchanged)")
        if item.introduced or item.fixed:
            lines.append(f"  findings: {len(item.introduced)} introduced, {len(item.fixed)} fixed")
            lines.extend(_finding_line("+", f) for f in item.introduced)
            lines.extend(_finding_line("-", f) for f in item.fixed)
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- markdown

def md(value: Any) -> str:
    """Untrusted text for a Markdown table cell or line."""
    text = printable(value if isinstance(value, str) else str(value))
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("`", "'"), ("<", "&lt;"), (">", "&gt;"),
                     ("*", "\\*"), ("_", "\\_"), ("[", "\\["), ("]", "\\]")):
        text = text.replace(old, new)
    return text


def code(value: Any) -> str:
    """Inline code: backticks inside are replaced, pipes escaped for tables."""
    text = printable(value if isinstance(value, str) else str(value)).replace("`", "'")
    return f"`{text.replace('|', '&#124;')}`"


SEVERITY_ICON = {"error": "error", "warning": "warning", "info": "info"}


def _finding_row(sign: str, f) -> str:
    who = "/".join(x for x in (f.workload, f.container) if x)
    return (f"| {sign} | {f.code} | {f.severity} | {code(f'{f.location.path}:{f.location.line}')} "
            f"| {md(f.message)}{f' ({md(who)})' if who else ''} |")


def markdown(result) -> str:
    c = result.counts()
    failing = result.failing()
    lines = ["## podlint diff", ""]
    verdict = (f"**{len(failing)} new finding{'s' if len(failing) != 1 else ''} at or above "
               f"{result.fail_on}**" if failing else f"no new finding at or above {result.fail_on}")
    lines.append(f"{code(result.old_label)} → {code(result.new_label)}: {verdict}. "
                 f"{c['changed']} changed, {c['added']} added, {c['removed']} removed, "
                 f"{c['unchanged']} unchanged; {c['rollouts']} rollout{'s' if c['rollouts'] != 1 else ''}"
                 f", {c['immutable']} immutable change{'s' if c['immutable'] != 1 else ''}; findings "
                 f"{c['introduced']} introduced, {c['fixed']} fixed.")
    for f in result.errors:
        lines += ["", f"> **error** {code(f'{f.location.path}:{f.location.line}')}: {f.code} {md(f.message)}"]
    if result.errors:
        lines += ["", ERRORS_NOTE]
    for item in result.objects:
        if not item.interesting:
            continue
        lines += ["", f"### {md(item.kind)} {code((item.namespace + '/' if item.namespace else '') + (item.name or '<unnamed>'))}: {item.status}", ""]
        if item.immutable:
            lines += [f"> **Immutable field changed**: {md(item.immutable_note)}", ""]
        rows = []
        if item.workload and item.status == "changed":
            rows.append(("rollout", "", md(item.rollout) if item.rollout else "no (pod template unchanged)"
                         if not item.template_changes else "-"))
        for row in item.metrics:
            after = metric_value(row["metric"], row["new"])
            rows.append((metric_label(row["metric"]), metric_value(row["metric"], row["old"]),
                         f"**{md(after)}**" if row.get("changed", True) else md(after)))
        if item.introduced or item.fixed or len(rows) > 0:
            rows.append(("findings", "", f"{len(item.introduced)} introduced, {len(item.fixed)} fixed"))
        # the "after" cells are already Markdown (bold marks what moved)
        if rows:
            lines += ["| | before | after |", "|---|---|---|"]
            lines += [f"| {label} | {md(old) or '-'} | {new} |" for label, old, new in rows]
        else:
            lines.append(f"{item.status.capitalize()}, no finding changes.")
        if item.template_changes:
            lines += ["", f"<details><summary>Pod template changes ({item.template_changes_total})"
                          "</summary>", ""]
            for change in item.template_changes[:MAX_LISTED]:
                lines.append(f"- {code(change.path)}: {code(short(change.old))} → {code(short(change.new))}")
            if item.template_changes_total > MAX_LISTED:
                lines.append(f"- ... and {item.template_changes_total - MAX_LISTED} more")
            lines += ["", "</details>"]
        if item.immutable:
            lines += ["", "<details><summary>Immutable changes</summary>", ""]
            lines += [f"- {code(ch.path)}: {code(short(ch.old))} → {code(short(ch.new))}"
                      for ch in item.immutable]
            lines += ["", "</details>"]
        if item.introduced or item.fixed:
            lines += ["", f"<details><summary>Findings: {len(item.introduced)} introduced, "
                          f"{len(item.fixed)} fixed</summary>", "",
                      "| | code | severity | where | message |", "|---|---|---|---|---|"]
            lines += [_finding_row("+", f) for f in item.introduced]
            lines += [_finding_row("−", f) for f in item.fixed]
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
