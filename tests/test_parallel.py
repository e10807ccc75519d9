"""--jobs for lint, explain and graph (run.map_files): the same output whatever
the number of workers, results in path order, and a dead worker costs only its
own file."""
from __future__ import annotations

import os
import shutil
from functools import partial
from pathlib import Path

import pytest

from podlint.loader import Source, discover
from podlint.run import PARALLEL_MIN_BYTES, PARALLEL_MIN_FILES, _chunks, map_files
from tests.robustness.support import podlint

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rules"


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """Enough fixture copies (padded with comments) to make --jobs fork workers,
    sizes spread so that largest-first reorders them, one unparsable file."""
    root = tmp_path_factory.mktemp("parallel")
    picked = sorted(FIXTURES.glob("PL[23]0*/*.yaml"))[:PARALLEL_MIN_FILES + 8]
    assert len(picked) >= PARALLEL_MIN_FILES
    pad = PARALLEL_MIN_BYTES // len(picked) + 1
    for number, path in enumerate(picked):
        target = root / f"{number:02d}-{path.parent.name}-{path.name}"
        text = path.read_text(encoding="utf-8")
        target.write_text(text + "\n" + "# padding\n" * (pad * (number % 5 + 1) // 10),
                          encoding="utf-8")
    (root / "zz-broken.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
    assert sum(p.stat().st_size for p in root.iterdir()) > PARALLEL_MIN_BYTES
    return root


@pytest.mark.parametrize("args", [
    ("lint", "--no-config", "-f", "json"),
    ("explain", "--no-config", "-f", "json"),
    ("explain", "--no-config", "-f", "text", "--workload", "Deployment/web", "--workload", "nothing"),
    ("graph", "-f", "dot"),
    ("graph", "-f", "json", "--workload", "web"),
], ids=["lint-json", "explain-json", "explain-filtered", "graph-dot", "graph-filtered"])
def test_output_does_not_depend_on_jobs(tree, args):
    one = podlint(*args, "--jobs", "1", str(tree), timeout=300)
    two = podlint(*args, "--jobs", "2", str(tree), timeout=300)
    assert one.exit_code == two.exit_code == 2          # the broken file
    assert one.stdout == two.stdout and one.stdout
    assert one.stderr == two.stderr
    assert "zz-broken.yaml" in (one.stdout + one.stderr)


def test_chunks_are_largest_first_and_keep_their_index(tmp_path):
    sizes = [10, 300_000, 50, 270_000, 5, 7, 9, 11, 13, 15, 17]
    for number, size in enumerate(sizes):
        (tmp_path / f"{number:02d}.yaml").write_text("#" * size)
    sources = list(enumerate(discover([str(tmp_path)])))
    chunks = _chunks(sources)
    assert [[i for i, _ in chunk] for chunk in chunks] == [[1], [3], [2, 10, 9, 8, 7, 0, 6, 5], [4]]
    assert sorted(i for chunk in chunks for i, _ in chunk) == list(range(len(sizes)))


def _name_or_die(source: Source, fatal: str) -> str:
    if source.path.endswith(fatal):
        os._exit(7)                        # a worker dying mid-task
    return os.path.basename(source.path)


def _crashed(sources, reason):
    return [f"crashed {os.path.basename(s.path)}: {reason}" for s in sources]


def test_a_dead_worker_costs_only_its_own_file(tree):
    sources = discover([str(tree)])
    names = [os.path.basename(s.path) for s in sources]
    fatal = names[3]
    results = map_files(sources, partial(_name_or_die, fatal=fatal), 2, _crashed)
    expected = [f"crashed {n}: its worker process died (exit code 7)" if n == fatal else n
                for n in names]
    assert results == expected
    assert map_files(sources, partial(_name_or_die, fatal="none"), 2, _crashed) == names
    assert map_files(sources[:3], partial(_name_or_die, fatal="none"), 2, _crashed) == names[:3]


def test_small_inputs_stay_in_process(tmp_path):
    few = tmp_path / "few"
    shutil.copytree(FIXTURES / "PL501", few)
    sources = discover([str(few)])
    assert map_files(sources, partial(_pid, parent=os.getpid()), 2, _crashed) == [True] * len(sources)


def _pid(source: Source, parent: int) -> bool:
    return os.getpid() == parent
