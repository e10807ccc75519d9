"""podlint's speed and memory benchmarks (issue 6), as ratios measured in one run.

Every measurement runs in a fresh interpreter (subprocess), several times, the
runs of the different commands interleaved so that a burst of load elsewhere on
the machine hits all of them alike; the table reports medians with min-max, and
each target as a ratio against a baseline measured in the same run:

1. whole corpus: `podlint lint CORPUS` (default --jobs, and --jobs 1) vs the
   floor, ruamel.yaml's C safe loader (`YAML(typ='safe').load_all`, one reused
   instance) just parsing the same files;
2. one file, cold: `podlint lint` on a 2 KB Deployment + Service vs
   `python -c "import ruamel.yaml, click"` (and checkov, with --checkov);
3. scaling: the corpus copied 8 times vs once, --jobs 1 (time and peak RSS);
4. parallel: --jobs 2 vs --jobs 1 on the corpus, and byte-identical output;
5. memory: peak RSS of --jobs 1 on the corpus;
6. explain and graph over the corpus vs lint (default --jobs);
7. big bundles: one 20 MB file of ordinary Deployments (built in the run's
   temporary folder by benchmarks/bundle.py from the corpus's Deployments, and
   a denser one from copies of deployment-service.yaml), `lint --jobs 1`: time
   per MB against the corpus's time per MB (--jobs 1), and peak RSS.

Wall time is what the targets are about; CPU time (user + sys of the process
and its workers) is printed beside it because it barely moves when other
programs share the machine. The load average before and after the run is in the
header: above the number of CPUs, the wall-clock ratios are not trustworthy.

Bytecode: installed packages come with compiled .pyc files, a source checkout
(`pip install -e .`) may not (PYTHONDONTWRITEBYTECODE is set in some CI images),
which would charge podlint ~80 ms of compiling per cold start that no user
pays. The commands therefore run with PYTHONDONTWRITEBYTECODE unset and
PYTHONPYCACHEPREFIX pointing into the run's temporary folder (the checkout is
not written to), after a warm-up run of each command that compiles every
module they import, podlint's and the libraries' alike, into that folder.

Usage:
    python benchmarks/run.py --corpus ../shared/corpus [--runs 3] [--quick] [--output FILE]
                             [--bundle-mb 20] [--checkov PATH [--checkov-corpus]]
    python benchmarks/run.py --corpus tests/fixtures/rules/PL501 --runs 1 --quick --bundle-mb 0.5   # smoke test
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bundle import write_bundle  # noqa: E402  (benchmarks/ is not a package)

ROOT = HERE.parent
SMALL_FILE = HERE / "data" / "deployment-service.yaml"

FLOOR = """
import sys, os
from ruamel.yaml import YAML
y = YAML(typ="safe")
count = 0
def paths(top):
    if os.path.isfile(top):
        yield top
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith((".yaml", ".yml", ".json")):
                yield os.path.join(root, name)
for path in paths(sys.argv[1]):
    try:
        with open(path, encoding="utf-8") as handle:
            for _ in y.load_all(handle.read()):
                count += 1
    except Exception:
        pass
print(count)
"""


class Measure:
    """One command, run `runs` times in fresh processes: wall, CPU, peak RSS."""

    def __init__(self, name: str, cmd: list[str], env: dict, output: str | None = None):
        self.name, self.cmd, self.env, self.output = name, cmd, env, output
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peaks: list[float] = []

    def once(self) -> None:
        start = time.perf_counter()
        proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=self.env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        self.walls.append(time.perf_counter() - start)
        # ru_* of wait4 include the workers the process reaped; ru_maxrss is the
        # largest single process (KiB on Linux).
        self.cpus.append(usage.ru_utime + usage.ru_stime)
        self.peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 2):
            raise SystemExit(f"{' '.join(self.cmd)} exited {code}")

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def rss(self) -> float:
        return max(self.peaks)

    def fmt(self) -> str:
        if len(self.walls) == 1:
            return f"{self.wall:.3f} s (CPU {self.cpu:.3f} s)"
        return (f"{self.wall:.3f} s ({min(self.walls):.3f}-{max(self.walls):.3f}; "
                f"CPU {self.cpu:.3f} s)")


def interleaved(measures: list[Measure], runs: int) -> None:
    for _ in range(runs):
        for measure in measures:
            measure.once()


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def replicate(corpus: str, times: int, into: str) -> str:
    for number in range(times):
        shutil.copytree(corpus, os.path.join(into, f"copy{number}"))
    return into


def versions() -> str:
    from importlib.metadata import version

    out = []
    for name in ("podlint", "ruamel.yaml", "ruamel.yaml.clib", "jsonschema", "click", "networkx"):
        try:
            out.append(f"{name} {version(name)}")
        except Exception:
            out.append(f"{name} ?")
    return ", ".join(out)


def load() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def megabytes(path: str) -> float:
    """Size of a file, or of the manifests under a folder, in MB (10^6 bytes)."""
    if os.path.isfile(path):
        return os.path.getsize(path) / 1e6
    total = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        total += sum(os.path.getsize(os.path.join(root, name)) for name in files
                     if not name.startswith(".") and name.lower().endswith((".yaml", ".yml", ".json")))
    return total / 1e6


def ratio(a: Measure, b: Measure) -> str:
    """`a` over `b`, wall (and CPU)."""
    return f"{a.wall / b.wall:.2f}x (CPU {a.cpu / b.cpu:.2f}x)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="skip the 8x scaling run and repeat the cold start only --runs times")
    parser.add_argument("--checkov", help="path to an installed checkov executable (opt-in)")
    parser.add_argument("--checkov-corpus", action="store_true",
                        help="also time checkov on the whole corpus, once (takes minutes)")
    parser.add_argument("--output", help="also write the table to this file")
    parser.add_argument("--bundle-mb", type=float, default=20,
                        help="size of the big-bundle files in MB (0: skip them)")
    args = parser.parse_args()
    corpus = os.path.abspath(args.corpus)
    runs = max(1, args.runs)
    cold_runs = runs if args.quick else max(runs, 7)
    tmp = tempfile.mkdtemp(prefix="podlint-bench-")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
    env.pop("GITHUB_ACTIONS", None)                 # text output, whatever the CI
    load_before = load()

    def out(name: str) -> str:
        return os.path.join(tmp, name)

    def podlint(name: str, *args: str, output: str | None = None) -> Measure:
        cmd = [sys.executable, "-m", "podlint", *args] + (["-o", out(output)] if output else [])
        return Measure(name, cmd, env, output)

    try:
        # warm-up: compile every module the commands import into the prefix folder
        # (with a prefix, Python reads no __pycache__ at all), fill the page cache
        for warm in (podlint("warm", "lint", str(SMALL_FILE)), podlint("warm", "lint", corpus),
                     podlint("warm", "explain", str(SMALL_FILE), "-f", "json"),
                     podlint("warm", "graph", str(SMALL_FILE), "-f", "json"),
                     Measure("warm", [sys.executable, "-c", FLOOR, corpus], env)):
            warm.once()

        floor = Measure("floor", [sys.executable, "-c", FLOOR, corpus], env)
        lint_default = podlint("lint", "lint", corpus, output="default.txt")
        lint_one = podlint("lint1", "lint", corpus, "--jobs", "1", output="jobs1.txt")
        lint_two = podlint("lint2", "lint", corpus, "--jobs", "2", output="jobs2.txt")
        explain = podlint("explain", "explain", corpus, "-f", "json", output="explain.json")
        graph = podlint("graph", "graph", corpus, "-f", "json", output="graph.json")
        # big bundles (7.): built here, measured interleaved with the corpus runs they are compared to
        bundles = []
        if args.bundle_mb > 0:
            for flavour in ("corpus", "dense"):
                path = out(f"bundle-{flavour}.yaml")
                documents, size = write_bundle(path, args.bundle_mb, flavour, corpus)
                bundles.append((flavour, documents, size,
                                podlint(f"bundle-{flavour}", "lint", path, "--jobs", "1",
                                        output=f"bundle-{flavour}.txt"),
                                Measure(f"floor-{flavour}", [sys.executable, "-c", FLOOR, path], env)))
        interleaved([floor, lint_default, lint_one, lint_two, explain, graph]
                    + [measure for bundle in bundles for measure in bundle[3:]], runs)
        for flavour, *_ in bundles:
            os.remove(out(f"bundle-{flavour}.yaml"))

        import_base = Measure("base", [sys.executable, "-c", "import ruamel.yaml, click"], env)
        one_file = podlint("one", "lint", str(SMALL_FILE))
        version_cmd = podlint("version", "--version")
        interleaved([import_base, one_file, version_cmd], cold_runs)

        same = digest(out("jobs1.txt")) == digest(out("jobs2.txt")) == digest(out("default.txt"))
        rows: list[tuple[str, str, str, str]] = []
        rows.append(("1. whole corpus, default --jobs", lint_default.fmt(),
                     f"{ratio(lint_default, floor)} the parse floor ({floor.fmt()})",
                     "<= 2x (aim 1.5x)"))
        rows.append(("1. whole corpus, --jobs 1", lint_one.fmt(),
                     f"{ratio(lint_one, floor)} the parse floor", "(reported)"))
        rows.append(("2. one 2 KB file, cold", one_file.fmt(),
                     f"{ratio(one_file, import_base)} `import ruamel.yaml, click` "
                     f"({import_base.fmt()})", "<= 3x"))
        rows.append(("2. podlint --version", version_cmd.fmt(),
                     f"{ratio(version_cmd, import_base)} the import baseline", "(reported)"))
        if args.checkov:
            checkov_one = Measure("checkov", [args.checkov, "-f", str(SMALL_FILE), "--quiet"], env)
            interleaved([checkov_one], max(3, min(runs, 5)))
            rows.append(("2. checkov, same file", checkov_one.fmt(),
                         f"podlint is {checkov_one.wall / one_file.wall:.1f}x faster", ">= 10x"))

        if not args.quick:
            big = replicate(corpus, 8, out("x8"))
            eight = podlint("x8", "lint", big, "--jobs", "1", output="x8.txt")
            interleaved([eight], max(1, runs // 2))
            rows.append(("3. corpus x8, --jobs 1", eight.fmt(),
                         f"{eight.wall / lint_one.wall:.2f}x the time of x1 "
                         f"(CPU {eight.cpu / lint_one.cpu:.2f}x); peak RSS {eight.rss:.0f} MiB vs "
                         f"{lint_one.rss:.0f} MiB ({eight.rss / lint_one.rss:.2f}x)",
                         "<= 8.5x time, <= 2x RSS"))
            shutil.rmtree(big, ignore_errors=True)

        rows.append(("4. --jobs 2 vs --jobs 1", lint_two.fmt(),
                     f"{lint_one.wall / lint_two.wall:.2f}x faster; output identical "
                     f"(--jobs 1, 2, default): {'yes' if same else 'NO'}", ">= 1.6x, identical"))
        rows.append(("5. peak RSS, --jobs 1", f"{lint_one.rss:.0f} MiB",
                     f"default --jobs: {lint_default.rss:.0f} MiB (largest process)", "<= 250 MB"))
        rows.append(("6. explain -f json, corpus", explain.fmt(),
                     f"{ratio(explain, lint_default)} lint", "<= 2x"))
        rows.append(("6. graph -f json, corpus", graph.fmt(),
                     f"{ratio(graph, lint_default)} lint", "<= 2x"))
        corpus_mb = megabytes(corpus)
        for flavour, documents, size, measure, bundle_floor in bundles:
            per_mb, corpus_per_mb = measure.wall / (size / 1e6), lint_one.wall / corpus_mb
            cpu_ratio = (measure.cpu / (size / 1e6)) / (lint_one.cpu / corpus_mb)
            what = "corpus Deployments" if flavour == "corpus" else "deployment-service.yaml copies (dense)"
            rows.append((f"7. {size / 1e6:.1f} MB bundle of {what}, --jobs 1", measure.fmt(),
                         f"{per_mb:.3f} s/MB vs the corpus's {corpus_per_mb:.3f} s/MB (--jobs 1): "
                         f"{per_mb / corpus_per_mb:.2f}x (CPU {cpu_ratio:.2f}x); {documents:,} "
                         f"documents; peak RSS {measure.rss:.0f} MiB; parse floor "
                         f"{bundle_floor.wall / (size / 1e6):.3f} s/MB vs the corpus's "
                         f"{floor.wall / corpus_mb:.3f}, podlint {ratio(measure, bundle_floor)} it "
                         f"(corpus: {ratio(lint_one, floor)})", "<= 1x per MB, < 400 MiB"))
        notes = []
        if args.checkov and args.checkov_corpus:
            checkov_all = Measure("checkov-corpus", [args.checkov, "-d", corpus, "--quiet",
                                                     "--framework", "kubernetes"], env)
            checkov_all.once()
            notes.append(f"checkov on the whole corpus (once): {checkov_all.fmt()}, "
                         f"{checkov_all.wall / lint_default.wall:.0f}x podlint's time, "
                         f"peak RSS {checkov_all.rss:.0f} MiB")

        lines = [
            "# podlint benchmark results", "",
            f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
            f"- python: {platform.python_version()}; {versions()}",
            f"- corpus: `{args.corpus}`; runs per measurement: {runs} "
            f"(cold start: {cold_runs}), interleaved; medians, min-max",
            f"- load average (1/5/15 min) before: {load_before}, after: {load()}",
            f"- command: `python benchmarks/run.py --corpus {args.corpus} --runs {args.runs}"
            f"{' --quick' if args.quick else ''}"
            f"{f' --bundle-mb {args.bundle_mb:g}' if args.bundle_mb != 20 else ''}`", "",
            "| target | podlint | ratio / detail | goal |", "|---|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        lines += [""] + [f"- {n}" for n in notes]
        table = "\n".join(lines).rstrip() + "\n"
        sys.stdout.write(table)
        if args.output:
            Path(args.output).write_text(table, encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
