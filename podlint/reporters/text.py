"""`path:line:col: CODE [severity] message (workload/container)`, one per line.

flake8's parsable style, which editors and problem matchers read: never wrapped,
whatever the terminal width. The finding's hint, how to fix it, follows on its
own line, indented (`  hint: ...`): a line that does not start with
`path:line:col:` is not a finding to an editor's error format or to
`grep ': PL'`, and the finding line itself stays exactly as it was. Colour only when the caller says so (the CLI
decides from --color, NO_COLOR, FORCE_COLOR, TERM=dumb and whether the stream
is a terminal); colour codes never touch the `path:line:col:` prefix's text.
Untrusted text goes through `printable()`, so a container name holding
`\\x1b]0;...` or `\\r` is shown, not obeyed.
"""
from __future__ import annotations

from typing import TextIO

from podlint.reporters import printable, subject, writer

COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
RESET, BOLD, DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"


def format_finding(finding, color: bool = False) -> str:
    loc = finding.location
    where = f"{printable(loc.path)}:{loc.line}:{loc.column}:"
    who = printable(subject(finding))
    tail = f" ({who})" if who else ""
    severity = f"[{printable(finding.severity)}]"
    if color:
        where = f"{BOLD}{where}{RESET}"
        severity = f"{COLORS.get(finding.severity, '')}{severity}{RESET}"
        tail = f"{DIM}{tail}{RESET}" if tail else ""
    return f"{where} {printable(finding.code)} {severity} {printable(finding.message)}{tail}"


def format_hint(finding, color: bool = False) -> str | None:
    """`  hint: ...` for the line after the finding, or None when it has no hint."""
    if not finding.hint:
        return None
    line = f"  hint: {printable(finding.hint)}"
    return f"{DIM}{line}{RESET}" if color else line


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 or noun == 'info' else 's'}"


def summary_line(summary) -> str:
    """`3 findings (2 errors, 1 warning) in 4 files: 2 linted, 1 with parse errors,
    1 skipped; 3 documents, 2 workloads`: every file is accounted for.

    "with parse errors" (not "with errors", which read as a contradiction next to
    "4 errors") counts the files that have a PL001 parse-error finding, or
    whose worker crashed (PL000): the other documents of such a file are still
    linted, but the file is not counted as linted. Error-severity findings are
    the "errors" in the parentheses."""
    counts = summary.by_severity
    head = _count(summary.findings, "finding")
    if summary.findings:
        head += " (" + ", ".join(_count(counts[s], s) for s in ("error", "warning", "info")
                                 if counts.get(s)) + ")"
    files = (f"{_count(summary.files, 'file')}: {summary.files_linted} linted, "
             f"{summary.files_with_errors} with parse errors, {summary.files_skipped} skipped")
    return (f"{head} in {files}; {_count(summary.documents, 'document')}, "
            f"{_count(summary.workloads, 'workload')}")


def render(result, out: TextIO, color: bool = False) -> None:
    write = writer(out)
    for finding in result.findings:
        write(format_finding(finding, color) + "\n")
        hint = format_hint(finding, color)
        if hint:
            write(hint + "\n")
    for path, reason in result.summary.skipped:
        write(f"{printable(path)}: skipped: {printable(reason)}\n")
    if result.summary.files == 0:
        write("no manifests found (.yaml, .yml or .json)\n")
    line = summary_line(result.summary)
    write((f"{BOLD}{line}{RESET}" if color else line) + "\n")
