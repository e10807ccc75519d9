"""Long-running fuzzer: podlint must never raise, hang or point nowhere.

Hypothesis drives two kinds of input, built from the real corpus:

- structural: a corpus document of a pod-carrying kind with one field (any
  depth) replaced by a hostile value (null, string, list, map, huge or negative
  number, boolean, control characters, deep nesting), deleted, or duplicated;
- bytes: a corpus file with byte-level damage (a flipped byte, a cut, a deleted
  or duplicated line, a re-indented line, or a hostile snippet spliced in:
  anchors, aliases, merge keys, tags, NULs, BOMs, tabs, brackets, `---`).

Every input goes through `lint` (JSON, all rules), every lint reporter, and
`explain` and `graph` in JSON. A failure is an exception escaping, a hang
(over --timeout seconds), an exit code outside {0, 1, 2}, invalid JSON, or a
finding whose location is not a line and column of the input. Failures are
saved (input + traceback) to --out and the run goes on.

    python benchmarks/fuzz.py --minutes 10 [--seed 1] [--corpus ../shared/corpus] [--out DIR]

Prints how many inputs it tried and what it found; exit code 1 if anything failed.
"""
from __future__ import annotations

import argparse
import codecs
import hashlib
import io
import json
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POD_KINDS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob",
             "ReplicationController", "PodTemplate"}
HOSTILE_VALUES = [
    None, "", "x", "0", "-1", "PL000", "\x1b[2J\x1b]0;title\x07", "a\r\nb", "::error::x%0A",
    "\u202e\u2028\u0085", "{{ .Values.x }}", "$(rm -rf /)", "x" * 5000,
    [], [None], [[[[[]]]]], ["a", 1, None, {}], {}, {"a": None}, {"": ""}, {"name": {"name": {}}},
    0, 1, -1, -(2**31), 2**31, 2**63, 2**63 - 1, -(2**64), 10**30, 0.5, -0.0, 1e308, float("inf"),
    float("-inf"), True, False,
]
SNIPPETS = [
    b"&a ", b"*a", b"*undefined", b"<<: *a\n", b"<<: [*a, *a]\n", b"!!python/object/apply:os.system [id]",
    b"!Ref x", b"!!binary AAAA", b"!!timestamp 2001-12-14", b"\t", b"{{ x }}", b"---\n", b"...\n",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"[[[[[[", b"]]]", b"{", b"}", b"? ", b": ", b"- ",
    b"\"", b"'", b"#", b"|\n", b">-\n", b"%YAML 1.1\n", b"\r", b"\x85", b"\xe2\x80\xa8",
    b"kind: List\nitems:\n", b"apiVersion: v1\nkind: Pod\n", b"containers: null\n",
    b"podlint/ignore: PL", b"# podlint: ignore=\n", b"~: ~\n", b"1e309", b"0x", b"0o8",
]


# ----------------------------------------------------------------------------- inputs

def load_material(corpus: Path, limit: int) -> tuple[list[bytes], list]:
    """Raw bytes of corpus files, and parsed pod-carrying documents."""
    from ruamel.yaml import YAML

    files = sorted(p for p in corpus.rglob("*") if p.is_file()
                   and p.name.lower().endswith((".yaml", ".yml", ".json")))
    raw = [p.read_bytes() for p in files]
    yaml = YAML(typ="safe")
    documents = []
    for data in raw:
        if len(documents) >= limit:
            break
        if not any(f"kind: {kind}".encode() in data for kind in POD_KINDS):
            continue
        try:
            for doc in yaml.load_all(data.decode("utf-8")):
                if isinstance(doc, dict) and doc.get("kind") in POD_KINDS:
                    documents.append(doc)
        except Exception:
            continue
    return raw, documents


def paths_of(value, prefix=()):
    """Every (path) to a value inside a document, containers first."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out.extend(paths_of(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out.extend(paths_of(child, (*prefix, index)))
    return out


def replaced(document, path, value, how: str):
    import copy

    doc = copy.deepcopy(document)
    if not path:
        return value if how == "set" else doc
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if how == "set":
        parent[last] = copy.deepcopy(value)
    elif how == "delete":
        del parent[last]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif how == "nest":
        parent[last] = {"a": [parent[last]]} if last != "name" else [[parent[last]]]
    return doc


def dump(document) -> bytes:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue().encode("utf-8")


def damaged(data: bytes, rng: random.Random, op: str, snippet: bytes) -> bytes:
    if not data:
        return snippet
    at = rng.randrange(len(data))
    lines = data.split(b"\n")
    line = rng.randrange(len(lines))
    if op == "flip":
        return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]
    if op == "truncate":
        return data[:at]
    if op == "delete-line":
        return b"\n".join(lines[:line] + lines[line + 1:])
    if op == "duplicate-line":
        return b"\n".join(lines[:line + 1] + lines[line:])
    if op == "indent":
        return b"\n".join(lines[:line] + [b" " * rng.choice((1, 2, 3, 8)) + lines[line]] + lines[line + 1:])
    if op == "dedent":
        return b"\n".join(lines[:line] + [lines[line].lstrip()] + lines[line + 1:])
    return data[:at] + snippet + data[at:]          # splice


# ----------------------------------------------------------------------------- checks

class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def text_of(data: bytes) -> str:
    """The text the loader sees (its BOM rules), for checking line numbers."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, "replace")
    return data.decode("utf-8", "replace")


# YAML (libyaml) also breaks lines at a lone CR, NEL, LS and PS; an editor may not.
# A location is valid when it is a real line and column under either reading.
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _fits(line: int, column: int, lines: list[str]) -> bool:
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


def check_locations(findings: list[dict], path: str, text: str) -> None:
    readings = (text.split("\n"), YAML_BREAKS.split(text))
    for finding in findings:
        assert finding["path"] == path, f"finding names another path: {finding}"
        line, column = finding["line"], finding["column"]
        assert isinstance(line, int) and isinstance(column, int), finding
        assert any(_fits(line, column, lines) for lines in readings), \
            f"line {line}, column {column} is not in the input ({len(readings[0])} lines): {finding}"


def exercise(path: str, data: bytes) -> None:
    """Run everything on one input; raise AssertionError or anything on failure."""
    from click.testing import CliRunner

    from podlint.cli import cli

    runner = CliRunner()
    text = text_of(data)

    def call(*args):
        result = runner.invoke(cli, list(args), catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception.with_traceback(result.exc_info[2])
        assert result.exit_code in (0, 1, 2), f"exit code {result.exit_code} for {args}"
        return result

    lint = call("lint", "--no-config", "--select", "ALL", "--extend-select", "PL507",
                "--report-unused-ignores", "--jobs", "1", "-f", "json", path)
    report = json.loads(lint.stdout)
    check_locations(report["findings"], path, text)
    summary = report["summary"]
    assert summary["files"] == summary["files_linted"] + summary["files_with_errors"] \
        + summary["files_skipped"] == 1, summary
    for fmt in ("text", "sarif", "github", "junit"):
        call("lint", "--no-config", "--select", "ALL", "--jobs", "1", "-f", fmt, path)
    explained = call("explain", "--no-config", "-f", "json", path)
    if explained.stdout.strip():
        document = json.loads(explained.stdout)
        for workload in document.get("workloads", []):
            check_locations(workload.get("findings", []), path, text)
    graphed = call("graph", "-f", "json", path)
    if graphed.stdout.strip():
        json.loads(graphed.stdout)
    call("explain", "--no-config", path)
    call("graph", "-f", "dot", path)


# ----------------------------------------------------------------------------- driver

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--out", default=None, help="folder for failing inputs (default: a temp dir)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before an input is a hang")
    parser.add_argument("--documents", type=int, default=400, help="pod documents to mutate")
    args = parser.parse_args(argv)

    from hypothesis import HealthCheck, Phase, given, settings, seed, strategies as st

    started = time.monotonic()
    raw, documents = load_material(Path(args.corpus), args.documents)
    out = Path(args.out or tempfile.mkdtemp(prefix="podlint-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="podlint-fuzz-input-"))
    print(f"fuzz: {len(raw)} corpus files, {len(documents)} pod documents; failures go to {out}",
          flush=True)
    deadline = started + args.minutes * 60
    stats = {"structural": 0, "bytes": 0, "failures": 0, "hangs": 0}
    seen: dict[str, int] = {}
    signal.signal(signal.SIGALRM, _alarm)

    class TimeUp(Exception):
        pass

    def record(kind: str, data: bytes, problem: str) -> None:
        first_line = problem.strip().splitlines()[-1] if problem.strip() else "?"
        # One signature per bug, not per input: the raising line of podlint plus
        # the error with its numbers and quoted values taken out.
        frames = re.findall(r'File "([^"]*podlint[^"]*)", line (\d+)', problem)
        where = f"{frames[-1][0]}:{frames[-1][1]}" if frames else ""
        shape = re.sub(r"\d+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "Q", first_line.split(": {")[0]))
        signature = hashlib.sha1(f"{where} {shape}".encode()).hexdigest()[:10]
        seen[signature] = seen.get(signature, 0) + 1
        stats["failures"] += 1
        if seen[signature] <= 3:
            number = stats["failures"]
            (out / f"{number:05d}-{kind}-{signature}.yaml").write_bytes(data)
            (out / f"{number:05d}-{kind}-{signature}.txt").write_text(problem)
            print(f"FAIL {kind} #{number} [{signature}]: {first_line[:200]}", flush=True)

    def one(kind: str, data: bytes) -> None:
        stats[kind] += 1
        path = str(workdir / "input.yaml")
        Path(path).write_bytes(data)
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
        try:
            exercise(path, data)
        except Hang:
            stats["hangs"] += 1
            record(kind, data, f"hang: over {args.timeout} s")
        except BaseException as exc:        # noqa: BLE001 - the point is to catch all
            if isinstance(exc, KeyboardInterrupt):
                raise
            record(kind, data, traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def fuzz(data):
        if time.monotonic() > deadline:
            raise TimeUp()
        try:
            generate_and_run(data)
        except TimeUp:
            raise
        except Exception:
            # Hypothesis' own control flow passes through draws; anything else
            # here is a bug of this script, reported once and not fatal.
            if type(sys.exc_info()[1]).__module__.startswith("hypothesis"):
                raise
            print(f"fuzzer error: {traceback.format_exc()}", flush=True)

    def generate_and_run(data):
        if documents and data.draw(st.booleans(), "structural"):
            document = documents[data.draw(st.integers(0, len(documents) - 1), "doc")]
            paths = paths_of(document)
            path = paths[data.draw(st.integers(0, len(paths) - 1), "path")]
            how = data.draw(st.sampled_from(["set", "set", "set", "delete", "duplicate", "nest"]), "how")
            value = data.draw(st.sampled_from(HOSTILE_VALUES), "value")
            try:
                mutated = replaced(document, path, value, how)
                text = dump(mutated)
            except Exception:
                return                      # not representable; not podlint's problem
            one("structural", text)
        else:
            source = raw[data.draw(st.integers(0, len(raw) - 1), "file")]
            rng = random.Random(data.draw(st.integers(0, 2**32), "rng"))
            mutated = source
            for _ in range(data.draw(st.integers(1, 4), "rounds")):
                op = data.draw(st.sampled_from(["flip", "truncate", "delete-line", "duplicate-line",
                                                "indent", "dedent", "splice", "splice"]), "op")
                mutated = damaged(mutated, rng, op, data.draw(st.sampled_from(SNIPPETS), "snippet"))
            one("bytes", mutated)

    round_number = 0
    while time.monotonic() < deadline:
        round_number += 1
        try:
            seed(args.seed * 1_000_003 + round_number)(fuzz)()
        except TimeUp:
            break
        except Exception as exc:            # hypothesis itself (should not happen)
            if time.monotonic() > deadline:
                break                       # TimeUp seen by hypothesis' replay as flaky
            print(f"hypothesis stopped: {type(exc).__name__}: {str(exc)[:300]}", flush=True)
            traceback.print_exc()
            time.sleep(0.1)
    elapsed = time.monotonic() - started
    tried = stats["structural"] + stats["bytes"]
    print(f"fuzz: tried {tried} inputs in {elapsed / 60:.1f} min ({stats['structural']} structural, "
          f"{stats['bytes']} byte-level); {stats['failures']} failures "
          f"({stats['hangs']} hangs, {len(seen)} distinct)", flush=True)
    for signature, count in sorted(seen.items(), key=lambda kv: -kv[1]):
        print(f"  [{signature}] x{count}")
    import shutil
    shutil.rmtree(workdir, ignore_errors=True)
    return 1 if stats["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
