"""The benchmark scripts run (on a tiny input). No timing is asserted here: the
numbers come from `python benchmarks/run.py --corpus ../shared/corpus` on a quiet
machine (benchmarks/README.md)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "rules" / "PL501"


def test_run_py_prints_every_target(tmp_path):
    table = tmp_path / "results.md"
    out = subprocess.run([sys.executable, "benchmarks/run.py", "--corpus", str(TINY), "--runs", "1",
                          "--quick", "--bundle-mb", "0.2", "--output", str(table)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout == table.read_text(encoding="utf-8")
    rows = [line for line in out.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split(" | ")[0] for row in rows] == [
        "| target",
        "| 1. whole corpus, default --jobs", "| 1. whole corpus, --jobs 1",
        "| 2. one 2 KB file, cold", "| 2. podlint --version",
        "| 4. --jobs 2 vs --jobs 1", "| 5. peak RSS, --jobs 1",
        "| 6. explain -f json, corpus", "| 6. graph -f json, corpus",
        "| 7. 0.2 MB bundle of corpus Deployments, --jobs 1",
        "| 7. 0.2 MB bundle of deployment-service.yaml copies (dense), --jobs 1"]
    assert "output identical (--jobs 1, 2, default): yes" in out.stdout
    assert re.search(r"\d+\.\d{3} s/MB vs the corpus's \d+\.\d{3} s/MB \(--jobs 1\): \d+\.\d{2}x "
                     r"\(CPU \d+\.\d{2}x\); [\d,]+ documents; peak RSS \d+ MiB", rows[-1]), rows[-1]
    for row in rows[1:]:
        assert re.search(r"\d+\.\d{3} s|\d+ MiB", row), row
    assert "load average" in out.stdout and "python: 3." in out.stdout
    # nothing left behind in the checkout (the bytecode goes to a temporary folder)
    assert not list((ROOT / "benchmarks").glob("__pycache__"))


def test_phases_py_splits_the_cpu_time():
    out = subprocess.run([sys.executable, "benchmarks/phases.py", "--corpus", str(TINY), "--no-floor"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    files = len(list(TINY.glob("*.yaml")))
    assert first.startswith(f"{files} files, ")
    for phase in ("| load (read, compose, construct, guards) |", "| rules (all checks) |",
                  "| engine (workloads, model, filter) |", "| settle + sort |", "| total |",
                  "| PL501 |", "| PL003 by apiVersion/kind |"):
        assert phase in out.stdout, phase
