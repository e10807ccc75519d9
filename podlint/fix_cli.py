"""The `podlint fix` command's run: find files, fix them (podlint/fix.py), then
write each changed file atomically, or print a diff, or print the fixed stdin.

stdout carries only data (the diff, or the fixed stream for `-`), so that it
can be piped; what was fixed or refused goes to stderr, one line per finding.
"""
from __future__ import annotations

import sys

from podlint.config import Settings
from podlint.loader import STDIN_NAME

EXIT_CHANGES = 1
EXIT_ERROR = 2


def run_fix(paths, settings: Settings, select: tuple[str, ...] | None, show_diff: bool,
            jobs: int | None, out=None, err=None) -> int:
    from podlint.fix import build_plan, fix_source, fix_sources, unified_diff, write_atomically
    from podlint.registry import RegistryError, resolve_selector
    from podlint.run import sources_for

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        for selector in select or ():
            if not resolve_selector(selector):
                err.write(f"podlint: error: command line: select: unknown rule {selector!r}\n")
                return EXIT_ERROR
        plan = build_plan(settings, select)
    except RegistryError as exc:
        err.write(f"podlint: error: {exc}\n")
        return EXIT_ERROR
    sources = sources_for(paths, settings)
    stdin = [s for s in sources if s.path == STDIN_NAME]
    files = [s for s in sources if s.path != STDIN_NAME]
    results = [fix_source(s, settings, plan) for s in stdin] + fix_sources(files, settings, plan, jobs)

    errors = changed = fixed = 0
    for result in results:
        for applied in sorted(result.applied, key=lambda a: (a.finding.location.line,
                                                             a.finding.location.column)):
            where = applied.finding.location
            verb = "would fix" if show_diff else "fixed"
            err.write(f"{result.path}:{where.line}:{where.column}: {applied.finding.code} {verb}: "
                      f"{applied.description}\n")
        for finding, reason in sorted(result.refused, key=lambda r: (r[0].location.line,
                                                                     r[0].location.column)):
            where = finding.location
            err.write(f"{result.path}:{where.line}:{where.column}: {finding.code} not fixed: {reason}\n")
        if result.error:
            errors += 1
            err.write(f"{result.path}: error: {result.error}\n")
        fixed += len(result.applied)
        if result.path == STDIN_NAME:
            if show_diff:
                if result.changed:
                    out.write(unified_diff(result.path, result.old_text, result.new_text))
            elif result.old_text is not None:
                out.flush()
                data = result.new_bytes if result.changed else result.old_bytes
                if hasattr(out, "buffer"):
                    out.buffer.write(data)
                    out.buffer.flush()
                else:
                    out.write(data.decode("utf-8", "replace"))
            changed += result.changed
            continue
        if not result.changed:
            continue
        changed += 1
        if show_diff:
            out.write(unified_diff(result.path, result.old_text, result.new_text))
            continue
        try:
            write_atomically(result.path, result.new_bytes)
        except OSError as exc:
            errors += 1
            err.write(f"{result.path}: error: cannot write: {(exc.strerror or str(exc)).lower()}\n")
    out.flush()
    verb = "would fix" if show_diff else "fixed"
    files_word = "file" if changed == 1 else "files"
    err.write(f"podlint: {verb} {fixed} finding{'s' if fixed != 1 else ''} in {changed} {files_word}"
              f"{f', {errors} error' + ('s' if errors != 1 else '') if errors else ''}\n")
    if errors:
        return EXIT_ERROR
    return EXIT_CHANGES if show_diff and changed else 0
