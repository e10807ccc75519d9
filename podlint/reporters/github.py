"""GitHub Actions workflow-command annotations, one line per finding:

    ::error file=k8s/web.yaml,line=12,col=9,title=PL501 undefined-volume::message (Deployment/web/app)

`error`, `warning` and `notice` (for info). Escaping is exactly the Actions
toolkit's: in the message `%`, `\\r`, `\\n` become `%25`, `%0D`, `%0A`; in a
property value `:` and `,` also become `%3A`, `%2C`. Before that, untrusted text
(names, messages, paths) goes through `printable()`, so control characters and
escape sequences are shown, not obeyed by the log viewer. Every line this
reporter prints starts with `::<command> ` or `podlint:`, and no untrusted byte
can end a line, so a manifest can never open an annotation of its own, mask a
value (`::add-mask::`) or turn command processing off (`::stop-commands::`).

GitHub shows at most 10 annotations of each level per step. Findings keep the
run's sorted order (path, line, column), so the annotations a reader sees are
the first ones in the file order, the same order as the log and the other
formats; a closing `::notice` summarises the counts, and says how many
annotations GitHub will not show, so nobody mistakes ten for all.
"""
from __future__ import annotations

from typing import TextIO

from podlint.reporters import printable, subject, writer

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
PER_STEP_LIMIT = 10


def escape_data(text: str) -> str:
    """The toolkit's escapeData: `%`, `\\r`, `\\n`."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The toolkit's escapeProperty: escapeData plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: list[tuple[str, str]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(finding) -> str:
    loc = finding.location
    who = subject(finding)
    message = printable(finding.message) + (f" ({printable(who)})" if who else "")
    if finding.hint:
        message += "\nhint: " + printable(finding.hint)
    properties = [("file", printable(loc.path)), ("line", str(loc.line)), ("col", str(loc.column)),
                  ("title", f"{printable(finding.code)} {printable(finding.name)}")]
    return command(COMMANDS.get(finding.severity, "warning"), properties, message)


def summary_notice(result) -> str:
    summary = result.summary
    counts = {level: 0 for level in COMMANDS.values()}
    for finding in result.findings:
        counts[COMMANDS.get(finding.severity, "warning")] += 1
    text = (f"{summary.findings} finding{'' if summary.findings == 1 else 's'} "
            f"({counts['error']} error, {counts['warning']} warning, {counts['notice']} notice) "
            f"in {summary.files} file{'' if summary.files == 1 else 's'}: "
            f"{summary.files_linted} linted, {summary.files_with_errors} with parse errors, "
            f"{summary.files_skipped} skipped")
    hidden = {level: n - PER_STEP_LIMIT for level, n in counts.items() if n > PER_STEP_LIMIT}
    if hidden:
        text += ("; GitHub shows the first 10 annotations of each level per step, so "
                 + " and ".join(f"{n} {level}" for level, n in hidden.items())
                 + " annotations are only in this log")
    return command("notice", [("title", "podlint summary")], text)


def render(result, out: TextIO, color: bool = False) -> None:
    write = writer(out)
    for finding in result.findings:
        write(annotation(finding) + "\n")
    for path, reason in result.summary.skipped:
        write(f"podlint: skipped {printable(path)}: {printable(reason)}\n")
    if result.summary.files == 0:
        write("podlint: no manifests found (.yaml, .yml or .json)\n")
    write(summary_notice(result) + "\n")
