"""The same inputs give byte-identical output: across runs, --jobs values, the
order of the paths, PYTHONHASHSEED, the locale and the terminal width, in every
lint format and in explain and graph. Real processes, since the environment is
what varies; enough input to make --jobs 2 really fork workers."""
from __future__ import annotations

import pytest

from podlint.run import PARALLEL_MIN_BYTES, PARALLEL_MIN_FILES
from tests.robustness.support import HOSTILE, corpus_files, needs_corpus, podlint

pytestmark = needs_corpus       # every test here reads ../shared/corpus

BASE_ENV = {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "COLUMNS": "200"}
FLIPPED_ENV = {"PYTHONHASHSEED": "1", "LC_ALL": "C", "LANG": "C", "COLUMNS": "40"}
UNICODE_POD = """apiVersion: v1
kind: Pod
metadata: {name: "caf\\u00e9-\\u65e5\\u672c"}
spec:
  containers:
    - name: "\\u00fcber"
      image: "nginx:1.27"
      volumeMounts: [{name: "m\\u00e4ngel", mountPath: /data}]
"""


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """Every 90th corpus file and mid-sized ones (over PARALLEL_MIN_BYTES in
    all, so --jobs 2 forks), the hostile fixtures, and a manifest with
    non-ASCII names and path."""
    extra = tmp_path_factory.mktemp("unicode")
    (extra / "ünïcode.yaml").write_text(UNICODE_POD, encoding="utf-8")
    files = corpus_files()
    chosen = files[::90]
    medium = [p for p in files if 5_000 < p.stat().st_size < 200_000 and p not in chosen]
    for path in medium[::2]:            # and mid-sized ones until workers are worth forking
        if sum(p.stat().st_size for p in chosen) > PARALLEL_MIN_BYTES + 64 * 1024:
            break
        chosen.append(path)
    assert len(chosen) >= 2 * PARALLEL_MIN_FILES
    assert sum(p.stat().st_size for p in chosen) > PARALLEL_MIN_BYTES
    return sorted(str(p) for p in chosen) + [str(p) for p in sorted(HOSTILE.glob("*.yaml"))] \
        + [str(extra / "ünïcode.yaml")]


_CACHE: dict = {}


def _run(command: str, fmt: str, paths: list[str], jobs: int, env: dict) -> tuple[int, str, str]:
    key = (command, fmt, tuple(paths), jobs, tuple(sorted(env.items())))
    if key not in _CACHE:
        jobs_args = ("--jobs", str(jobs)) if command == "lint" else ()
        config = ("--no-config",) if command != "graph" else ()
        out = podlint(command, *config, *jobs_args, "-f", fmt, *paths, env=env, timeout=300)
        _CACHE[key] = (out.exit_code, out.stdout, out.stderr)
    return _CACHE[key]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_lint_output_is_byte_identical(inputs, fmt):
    """Everything flipped at once: --jobs, path order, hash seed, locale, width."""
    base = _run("lint", fmt, inputs, 1, BASE_ENV)
    flipped = _run("lint", fmt, list(reversed(inputs)), 2, FLIPPED_ENV)
    assert base[0] == 2                         # the hostile fixtures hold parse errors
    assert base == flipped


def test_repeated_run_is_identical(inputs):
    _CACHE.clear()
    first = _run("lint", "json", inputs, 1, BASE_ENV)
    _CACHE.clear()
    assert _run("lint", "json", inputs, 1, BASE_ENV) == first


@pytest.mark.parametrize("jobs,reverse,env", [
    (2, False, BASE_ENV),
    (1, True, BASE_ENV),
    (1, False, BASE_ENV | {"PYTHONHASHSEED": "1"}),
    (1, False, BASE_ENV | {"LC_ALL": "C", "LANG": "C"}),
    (1, False, BASE_ENV | {"COLUMNS": "40"}),
], ids=["jobs-2", "reversed", "hashseed-1", "locale-C", "columns-40"])
def test_each_factor_alone_changes_nothing(inputs, jobs, reverse, env):
    base = _run("lint", "json", inputs, 1, BASE_ENV)        # computed once, cached
    other = _run("lint", "json", list(reversed(inputs)) if reverse else inputs, jobs, env)
    assert base == other


@pytest.mark.parametrize("command,fmt", [("explain", "json"), ("graph", "dot")])
def test_explain_and_graph_output_is_byte_identical(inputs, command, fmt):
    paths = inputs[::3]
    base = _run(command, fmt, paths, 1, BASE_ENV)
    flipped = _run(command, fmt, list(reversed(paths)), 1, FLIPPED_ENV)
    assert base == flipped
