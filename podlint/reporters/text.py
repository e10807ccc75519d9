"""`path:line:col: CODE [severity] message (workload/container)`, one per line.

flake8's parsable style, which editors and problem matchers read. Colour only
when the caller says so (a TTY without NO_COLOR); untrusted text is escaped.
"""
from __future__ import annotations

from typing import TextIO

from podlint.reporters import printable

COLORS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
RESET, BOLD, DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"


def format_finding(finding, color: bool = False) -> str:
    loc = finding.location
    where = f"{printable(loc.path)}:{loc.line}:{loc.column}:"
    subject = printable(finding.workload or "")
    if finding.container:
        subject = f"{subject}/{printable(finding.container)}" if subject else printable(finding.container)
    tail = f" ({subject})" if subject else ""
    severity = f"[{finding.severity}]"
    if color:
        where = f"{BOLD}{where}{RESET}"
        severity = f"{COLORS.get(finding.severity, '')}{severity}{RESET}"
        tail = f"{DIM}{tail}{RESET}" if tail else ""
    return f"{where} {finding.code} {severity} {printable(finding.message)}{tail}"


def summary_line(summary) -> str:
    counts = summary.by_severity
    parts = [f"{summary.findings} finding{'s' if summary.findings != 1 else ''}"]
    if summary.findings:
        parts[0] += " (" + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("error", "warning", "info")
                                     if counts.get(s)) + ")"
    files = (f"{summary.files} file{'s' if summary.files != 1 else ''}: {summary.files_linted} linted, "
             f"{summary.files_with_errors} with errors, {summary.files_skipped} skipped")
    return (f"{parts[0]} in {files}; {summary.documents} documents, "
            f"{summary.workloads} workloads")


def render(result, out: TextIO, color: bool = False) -> None:
    for finding in result.findings:
        out.write(format_finding(finding, color) + "\n")
    for path, reason in result.summary.skipped:
        out.write(f"{printable(path)}: skipped: {printable(reason)}\n")
    if result.summary.files == 0:
        out.write("no manifests found (.yaml, .yml or .json)\n")
    out.write(summary_line(result.summary) + "\n")
