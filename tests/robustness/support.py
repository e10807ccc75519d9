"""Helpers shared by the robustness tests: run podlint (in-process through click,
or as a real subprocess when the environment or a crash matters), check that
the summary accounts for every file, and that every finding points somewhere
real in its file."""
from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint.cli import cli

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
# The corpus sits beside the repository in podlint's own workspace and CI
# (../shared/corpus); it is read at test time and never copied into the
# repository. A clone has no such folder: the tests that need it skip, saying so
# (`needs_corpus`), and everything else runs. tests/test_corpus_present.py makes
# sure they do run wherever ../shared exists.
CORPUS = ROOT.parent / "shared" / "corpus"
NO_CORPUS = (f"needs the corpus of real manifests at {CORPUS} (../shared/corpus beside the "
             "repository); a clone does not have it")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=NO_CORPUS)
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


# The CI's own environment must not change the output format or colour:
# GITHUB_ACTIONS=true picks the github format, FORCE_COLOR adds ANSI codes.
QUIET_ENV = {"GITHUB_ACTIONS": None, "FORCE_COLOR": None, "NO_COLOR": None}


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


def invoke(*args: str, input: str | bytes | None = None) -> Outcome:
    """Run the CLI in-process. Any exception other than SystemExit fails the test:
    that is a traceback a user would have seen."""
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=True, env=QUIET_ENV)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback
        trace = "".join(traceback.format_exception(*result.exc_info))
        raise AssertionError(f"podlint {' '.join(args)} raised:\n{trace}")
    return Outcome(result.exit_code, result.stdout, result.stderr)


def podlint(*args: str, cwd: str | os.PathLike | None = None, env: dict | None = None,
            timeout: float = 120, input: bytes | None = None,
            prefix: tuple[str, ...] = ()) -> Outcome:
    """Run `python -m podlint` as a real process (with a timeout, so a hang fails
    the test instead of blocking CI). A traceback on stderr fails the test."""
    full_env = {key: value for key, value in os.environ.items() if key not in QUIET_ENV}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    if env:
        full_env.update(env)
    done = subprocess.run([*prefix, sys.executable, "-m", "podlint", *args], cwd=cwd,
                          env=full_env, input=input, capture_output=True, timeout=timeout)
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    return Outcome(done.returncode, stdout, stderr)


def assert_accounted(summary: dict, files: int | None = None) -> None:
    """Every file is linted, has errors, or was skipped: never silently dropped."""
    assert summary["files"] == (summary["files_linted"] + summary["files_with_errors"]
                                + summary["files_skipped"]), summary
    assert summary["files_skipped"] == len(summary["skipped"]), summary
    assert summary["findings"] == sum(summary["by_code"].values()), summary
    if files is not None:
        assert summary["files"] == files, summary


# libyaml also breaks lines at a lone CR, NEL, LS and PS; an editor may not. A
# location is valid when it is a real line and column under either reading.
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def text_of(data: bytes) -> str:
    """The text the loader sees (its BOM rules; undecodable bytes replaced)."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, "replace")
    return data.decode("utf-8", "replace")


def _fits(line: int, column: int, lines: list[str]) -> bool:
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


def assert_locations_valid(findings: list[dict], texts: dict[str, str]) -> None:
    """Each finding names one of the inputs, a line that exists in it and a
    column within that line (or just past its end)."""
    for finding in findings:
        path = finding["path"]
        assert path in texts, (path, sorted(texts))
        line, column = finding["line"], finding["column"]
        assert isinstance(line, int) and isinstance(column, int), finding
        readings = (texts[path].split("\n"), YAML_BREAKS.split(texts[path]))
        assert any(_fits(line, column, lines) for lines in readings), \
            (finding, len(readings[0]), len(readings[1]))


def corpus_files() -> list[Path]:
    """Every manifest of the corpus, sorted; skips the calling test without it."""
    if not CORPUS.is_dir():
        pytest.skip(NO_CORPUS)
    return sorted(p for p in CORPUS.rglob("*")
                  if p.is_file() and p.name.lower().endswith(MANIFEST_SUFFIXES)
                  and not any(part.startswith(".") for part in p.relative_to(CORPUS).parts))
