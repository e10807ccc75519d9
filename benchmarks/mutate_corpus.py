"""Damage every file of a copy of the corpus, lint it, and check that podlint
neither crashes nor loses a file.

Each manifest of the copy gets, with a fixed seed: a random line deleted, a
random byte flipped, and a cut at a random byte. Then `podlint lint` (JSON,
all rules, --jobs), `podlint explain` and `podlint graph` run over the copy as
real processes. Checks: no traceback, exit code 0/1/2, and every file
accounted for: files == files_linted + files_with_errors + files_skipped ==
the number of manifests in the copy; no PL000; every finding on a real line
and column of its (damaged) file.

    python benchmarks/mutate_corpus.py [--corpus ../shared/corpus] [--seed 7] [--jobs 2] [--keep]

Prints the counts; exit code 1 if any check failed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".yaml", ".yml", ".json")
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def manifests(root: Path) -> list[Path]:
    """The files podlint's discovery finds: manifest suffixes, no hidden parts."""
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(folder) / name for name in sorted(files)
                   if not name.startswith(".") and name.lower().endswith(SUFFIXES))
    return out


def damage(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    if len(lines) > 1:
        del lines[rng.randrange(len(lines))]
    data = b"\n".join(lines)
    if data:
        at = rng.randrange(len(data))
        data = data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
        data = data[:rng.randrange(len(data) + 1)]
    return data


def text_of(data: bytes) -> str:
    for bom, name in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                      (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(name, "replace")
    return data.decode("utf-8", "replace")


def location_ok(finding: dict, root: Path) -> bool:
    path = Path(finding["path"])
    path = path if path.is_absolute() else root / path
    try:
        text = text_of(path.read_bytes())
    except OSError:
        return finding["line"] == 1 and finding["column"] == 1
    line, column = finding["line"], finding["column"]
    for lines in (text.split("\n"), YAML_BREAKS.split(text)):
        if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1:
            return True
    return False


def run(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([sys.executable, "-m", "podlint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--keep", action="store_true", help="keep the damaged copy")
    args = parser.parse_args(argv)

    problems: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="podlint-mutated-"))
    copy = work / "corpus"
    shutil.copytree(args.corpus, copy, symlinks=True)
    rng = random.Random(args.seed)
    files = manifests(copy)
    for path in files:
        path.write_bytes(damage(path.read_bytes(), rng))
    print(f"mutate_corpus: damaged {len(files)} files in {copy} (seed {args.seed})", flush=True)

    started = time.monotonic()
    lint = run(["lint", "--no-config", "--select", "ALL", "--extend-select", "PL507",
                "--jobs", str(args.jobs), "-f", "json", "-o", str(work / "lint.out"), "corpus"],
               work, args.timeout)
    elapsed = time.monotonic() - started
    if "Traceback" in lint.stderr:
        problems.append(f"lint printed a traceback:\n{lint.stderr[-3000:]}")
    if lint.returncode not in (0, 1, 2):
        problems.append(f"lint exit code {lint.returncode}")
    report = json.loads((work / "lint.out").read_text())
    summary = report["summary"]
    accounted = summary["files_linted"] + summary["files_with_errors"] + summary["files_skipped"]
    if not summary["files"] == accounted == len(files):
        problems.append(f"files {summary['files']} != linted+errors+skipped {accounted} != "
                        f"manifests {len(files)}")
    reported = {f["path"] for f in report["findings"]}
    crashes = [f for f in report["findings"] if f["code"] == "PL000"]
    for finding in crashes[:20]:
        problems.append(f"PL000 {finding['path']}: {finding['message']}")
    bad = [f for f in report["findings"] if not location_ok(f, work)]
    for finding in bad[:20]:
        problems.append(f"location outside the file: {finding}")

    for command in (["explain", "--no-config", "-f", "json"], ["graph", "-f", "json"]):
        done = run([*command, "-o", str(work / f"{command[0]}.out"), "corpus"], work, args.timeout)
        if "Traceback" in done.stderr or done.returncode not in (0, 1, 2):
            problems.append(f"{command[0]}: exit {done.returncode}\n{done.stderr[-3000:]}")
        else:
            json.loads((work / f"{command[0]}.out").read_text())

    print(f"mutate_corpus: lint exit {lint.returncode} in {elapsed:.0f} s: files {summary['files']}, "
          f"linted {summary['files_linted']}, with errors {summary['files_with_errors']}, "
          f"skipped {summary['files_skipped']}; documents {summary['documents']}, workloads "
          f"{summary['workloads']}, findings {summary['findings']} in {len(reported)} files")
    print("mutate_corpus: by code " + ", ".join(f"{code} {count}" for code, count
                                               in sorted(summary["by_code"].items())))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"mutate_corpus: {'FAILED' if problems else 'ok'} ({len(problems)} problems)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
