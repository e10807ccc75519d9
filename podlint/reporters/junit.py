"""JUnit XML for CI test viewers (Jenkins, GitLab, Azure DevOps): findings as
test cases, failed at or above --fail-on, grouped by file (libraries.md section 5.3).

    <testsuites name="podlint" tests failures errors skipped>
      <testsuite name="{file}" tests failures errors skipped>        one per file linted
        <testcase classname="{Kind}" name="{CODE} {rule}: {name}/{container}" file line>
          <failure type="{CODE}" message="{message}">{file}:{line}:{col}: ...</failure>
        </testcase>                                                   (or <system-out> below --fail-on)

Decisions:
- A finding fails its test case only when it is at or above `--fail-on` (the
  threshold of the exit code), so the report and the exit code agree: a run that
  exits 0 shows no failures. A finding below the threshold (the info findings
  under the default `--fail-on warning`) is a passing test case whose
  `<system-out>` holds the finding line and the hint: Jenkins, GitLab and Azure
  DevOps list it as passed and show the text in the test's details. Not
  `<skipped>`: that says the check did not run, and GitLab and Jenkins count
  skipped tests as something to look at. `--exit-zero` does not move the
  threshold: it changes the exit code only, like every other report.
- One test case per finding, not per object: Jenkins and GitLab read only the
  first <failure> of a test case, so an object with three findings would show one.
  The object is in `classname` (its Kind) and `name` (its name and container).
  `Kind@apiVersion`, kubeconform's classname, is not possible: a Finding does not
  carry the apiVersion.
- Line numbers are not in test names (only in the `line` attribute and the body),
  so a finding that moves keeps its test history.
- A file without findings is one passing test case (`classname="podlint"`, name
  "no findings"), a skipped file one skipped test case with the reason: every
  linted file appears. Parse errors (PL001) and crashes (PL000) are failures too.
- Untrusted text goes through `printable()` (control characters shown as
  escapes); then anything XML 1.0 forbids is stripped, markup is escaped, and
  every non-ASCII character is written as a character reference. The document is
  therefore well-formed and pure ASCII whatever the manifests hold.
"""
from __future__ import annotations

import os
import re
from typing import TextIO

from podlint.finding import severity_rank
from podlint.reporters import printable, subject
from podlint.reporters.text import format_finding

STDIN_NAME = "<stdin>"
# Everything XML 1.0 does not allow in a document (section 2.2, Char).
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;",
                               '"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


def _escape(value: object, table: dict[int, str]) -> str:
    text = _FORBIDDEN.sub("", str(value)).translate(table)
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def text(value: object) -> str:
    return _escape(value, _TEXT_ESCAPES)


def attr(value: object) -> str:
    return f'"{_escape(value, _ATTR_ESCAPES)}"'


def _path_key(path: str) -> tuple:
    return (path != STDIN_NAME, path.split(os.sep))


def _testcase(finding, fails: bool) -> str:
    kind, _, name = (finding.workload or "").partition("/")
    who = "/".join(part for part in (name, finding.container or "") if part)
    title = f"{finding.code} {finding.name}" + (f": {who}" if who else "")
    body = format_finding(finding)
    if finding.hint:
        body += "\nhint: " + printable(finding.hint)
    loc = finding.location
    if fails:
        outcome = (f"      <failure type={attr(printable(finding.code))} "
                   f"message={attr(printable(finding.message))}>{text(body)}</failure>\n")
    else:
        outcome = f"      <system-out>{text(body)}</system-out>\n"
    return (f"    <testcase classname={attr(printable(kind or 'podlint'))} name={attr(printable(title))} "
            f"file={attr(printable(loc.path))} line=\"{int(loc.line)}\">\n"
            f"{outcome}"
            f"    </testcase>\n")


def render(result, out: TextIO, color: bool = False) -> None:
    by_file: dict[str, list] = {path: [] for path in getattr(result, "files", None) or ()}
    for finding in result.findings:
        by_file.setdefault(finding.location.path, []).append(finding)
    skipped = dict(result.summary.skipped)
    threshold = severity_rank(result.settings.fail_on)      # the exit code's threshold
    suites = []
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for path in sorted(by_file, key=_path_key):
        findings = by_file[path]
        shown = printable(path)
        if findings:
            failing = [severity_rank(f.severity) >= threshold for f in findings]
            cases = "".join(_testcase(f, fails) for f, fails in zip(findings, failing))
            counts = {"tests": len(findings), "failures": sum(failing), "skipped": 0}
        elif path in skipped:
            cases = (f"    <testcase classname=\"podlint\" name=\"skipped\" file={attr(shown)}>\n"
                     f"      <skipped message={attr(printable(skipped[path]))}/>\n"
                     f"    </testcase>\n")
            counts = {"tests": 1, "failures": 0, "skipped": 1}
        else:
            cases = f"    <testcase classname=\"podlint\" name=\"no findings\" file={attr(shown)}/>\n"
            counts = {"tests": 1, "failures": 0, "skipped": 0}
        for key in totals:
            totals[key] += counts[key]
        suites.append(f"  <testsuite name={attr(shown)} tests=\"{counts['tests']}\" "
                      f"failures=\"{counts['failures']}\" errors=\"0\" "
                      f"skipped=\"{counts['skipped']}\">\n{cases}  </testsuite>\n")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f"<testsuites name=\"podlint\" tests=\"{totals['tests']}\" "
              f"failures=\"{totals['failures']}\" errors=\"0\" skipped=\"{totals['skipped']}\">\n")
    out.write("".join(suites))
    out.write("</testsuites>\n")
