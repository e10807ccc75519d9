"""`podlint fix` over a copy of the whole shared corpus (issue 14's acceptance test).

Checks: every file still parses; per document no rule reports more than before
(so PL003 never grows: still schema-valid where it was); every fixed finding is
gone and the findings of the fixing rules that remain are exactly the ones
reported as not fixed; a second run changes nothing; and every line that
differs belongs to a fixed field (difflib over the lines of each changed file).

Skipped when ../shared/corpus is absent. Takes one lint of the original, the fix
run, one lint of the result and a second fix run of the changed files, with
--jobs 2 (1-3 minutes on two cores).
"""
from __future__ import annotations

import bisect
import difflib
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from podlint.loader import LoadedFile, parse_text
from tests.helpers import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no corpus at {CORPUS}")

# Keys whose lines a fix may write, change or remove.
FIX_KEYS = {"terminationMessagePolicy", "timeoutSeconds", "apiVersion", "selector", "matchLabels",
            "successThreshold", "periodSeconds", "initialDelaySeconds", "failureThreshold",
            "terminationGracePeriodSeconds", "exec", "sleep", "seconds", "command", "backend",
            "defaultBackend", "service", "serviceName", "servicePort", "pathType", "port", "name",
            "number", "restartPolicy"}
KEY = re.compile(r'^\s*(?:-\s+)?"?([A-Za-z][A-Za-z0-9]*)"?\s*:')
REPORTED = re.compile(r"^(?P<path>.+?):(?P<line>\d+):\d+: (?P<code>PL\d{3}) (?P<what>fixed|not fixed)")


def podlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "podlint", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=900)


def lint_json(root: Path, cwd: Path) -> list[dict]:
    run = podlint("lint", "--no-config", "--jobs", "2", "-f", "json", str(root), cwd=cwd)
    assert run.returncode in (0, 1, 2), run.stderr
    return json.loads(run.stdout)["findings"]


def doc_starts(path: Path) -> list[int]:
    text = path.read_bytes().decode("utf-8-sig", "replace")
    loaded = parse_text(text, LoadedFile(str(path)))
    starts: dict[int, int] = {}
    for document in loaded.documents:
        starts[document.index] = min(starts.get(document.index, document.line), document.line)
    return [line for _, line in sorted(starts.items())]


def per_document(findings, root: Path, starts_of) -> Counter:
    counts: Counter = Counter()
    for finding in findings:
        relative = str(Path(finding["path"]).relative_to(root))
        starts = starts_of(relative)
        doc = max(bisect.bisect_right(starts, finding["line"]) - 1, 0)
        counts[(relative, doc, finding["code"])] += 1
    return counts


def untouched_lines_identical(old: bytes, new: bytes) -> list[str]:
    """Lines that differ without belonging to a fixed field (empty when all is well)."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    problems = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        block_indent = None
        for line in new_lines[j1:j2]:
            text = line.decode("utf-8", "replace")
            indent = len(text) - len(text.lstrip())
            if block_indent is not None and indent > block_indent:
                continue                      # inside an inserted selector or backend block
            block_indent = None
            key = KEY.match(text)
            paired = [o.decode("utf-8", "replace") for o in old_lines[i1:i2]]
            if key and key.group(1) in FIX_KEYS:
                if text.rstrip().endswith(":"):
                    block_indent = indent
                continue
            if any(_only_added(o, text) for o in paired) or text.strip().startswith("- "):
                # a flow mapping or JSON line that gained `, key: value` / `,`, or a
                # block sequence item of a rewritten command
                continue
            problems.append(f"added or changed: {text!r}")
        for line in old_lines[i1:i2]:
            text = line.decode("utf-8", "replace")
            key = KEY.match(text)
            if key and key.group(1) in FIX_KEYS or text.strip().startswith("- ") or \
                    any(_only_added(text, n.decode("utf-8", "replace")) for n in new_lines[j1:j2]):
                continue
            problems.append(f"removed: {text!r}")
    return problems


def _only_added(old: str, new: str) -> bool:
    """new is old with text inserted at one place, and that text is a fixed
    key's pair or a JSON comma."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    if len(old) != prefix + suffix:
        return False
    added = new[prefix: len(new) - suffix]
    if added in ("\n", "\r\n") and not old.endswith(("\n", "\r")):
        return True         # the last line of a file without a final newline, now followed by one
    return added.strip() == "," or any(key in added for key in FIX_KEYS)


def test_fix_over_the_whole_corpus(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy, symlinks=True)
    before = lint_json(copy, tmp_path)

    run = podlint("fix", "--no-config", "--jobs", "2", str(copy), cwd=tmp_path)
    assert run.returncode in (0, 2), run.stderr[-2000:]
    reported = [m.groupdict() for m in map(REPORTED.match, run.stderr.splitlines()) if m]
    fixed = [r for r in reported if r["what"] == "fixed"]
    assert fixed, "the corpus has fixable findings"

    changed = sorted(p for p in copy.rglob("*") if p.is_file() and not p.is_symlink()
                     and p.read_bytes() != (CORPUS / p.relative_to(copy)).read_bytes())
    changed_names = {str(p.relative_to(copy)) for p in changed}
    assert changed_names == {str(Path(r["path"]).relative_to(copy)) for r in fixed}

    # Every file still parses the same way (errors only where there were some).
    for path in changed:
        loaded = parse_text(path.read_bytes().decode("utf-8-sig"), LoadedFile(str(path)))
        assert not loaded.parse_failed, path

    after = lint_json(copy, tmp_path)
    old_starts = {}
    new_starts = {}

    def starts_before(relative):
        if relative not in old_starts:
            old_starts[relative] = doc_starts(CORPUS / relative)
        return old_starts[relative]

    def starts_after(relative):
        if relative not in new_starts:
            new_starts[relative] = doc_starts(copy / relative)
        return new_starts[relative]

    was = per_document(before, copy, starts_before)
    now = per_document(after, copy, starts_after)
    fixed_per_doc: Counter = Counter()
    left_per_doc: Counter = Counter()
    for r in reported:
        relative = str(Path(r["path"]).relative_to(copy))
        doc = max(bisect.bisect_right(starts_before(relative), int(r["line"])) - 1, 0)
        (fixed_per_doc if r["what"] == "fixed" else left_per_doc)[(relative, doc, r["code"])] += 1
    grew = {key: (was[key], now[key]) for key in now if now[key] > was[key]}
    assert grew == {}, "no rule may report more in any document after the fix"
    fixed_codes = {key[2] for key in fixed_per_doc}
    for key in set(was) | set(now):
        if key[2] in fixed_codes:
            assert now[key] == was[key] - fixed_per_doc[key], key
            assert now[key] == left_per_doc[key], f"{key}: what remains is what was reported as not fixed"

    # A second run changes nothing.
    again = podlint("fix", "--no-config", "--jobs", "2", "--diff", *map(str, changed), cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == "", again.stdout[:2000]

    # Only the lines of fixed fields differ.
    problems = {}
    for path in changed:
        found = untouched_lines_identical((CORPUS / path.relative_to(copy)).read_bytes(),
                                          path.read_bytes())
        if found:
            problems[str(path.relative_to(copy))] = found[:3]
    assert problems == {}

    summary = Counter(r["code"] for r in fixed)
    print(f"\nfixed per code: {dict(sorted(summary.items()))}; files changed: {len(changed)}")
