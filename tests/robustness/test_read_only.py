"""Nothing but reading: lint, explain and graph never change their inputs and
write nothing but `-o FILE`. Checked over a copy of several hundred corpus
files plus the hostile fixtures, with real processes working in that folder."""
from __future__ import annotations

import hashlib
import os
import shutil

import pytest

from tests.robustness.support import CORPUS, HOSTILE, corpus_files, needs_corpus, podlint

pytestmark = needs_corpus       # every test here reads ../shared/corpus


def _snapshot(root) -> dict[str, tuple[str, int]]:
    """Every file and folder under root (hidden ones too): content hash and mode."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, root)
            info = os.lstat(path)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    out[relative] = (hashlib.sha256(handle.read()).hexdigest(), info.st_mode)
            else:
                out[relative] = ("", info.st_mode)
    return out


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """Every 6th corpus file (about 530, keeping their folders) and the fixtures."""
    root = tmp_path_factory.mktemp("readonly") / "repo"
    for path in corpus_files()[::6]:
        target = root / path.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    shutil.copytree(HOSTILE, root / "hostile")
    (root / ".podlint.yaml").write_text("select: [ALL]\n")
    return root


@pytest.mark.parametrize("command,output", [
    (("lint", ".", "-f", "json", "--jobs", "2"), "report.out"),
    (("lint", ".", "-f", "sarif"), "report.sarif"),
    (("explain", ".", "-f", "json"), "explain.out"),
    (("explain", "."), "explain.txt"),
    (("graph", ".", "-f", "dot"), "graph.dot"),
])
def test_inputs_unchanged_and_only_the_output_file_written(repo, command, output):
    before = _snapshot(repo)
    assert sum(1 for name in before if name.endswith((".yaml", ".yml", ".json"))) > 500
    out = podlint(*command, "-o", output, cwd=repo, timeout=600)
    assert out.exit_code == 2                  # the hostile fixtures hold parse errors
    assert out.stdout == ""                    # the report went to the file
    after = _snapshot(repo)
    assert set(after) - set(before) == {output}
    assert os.path.getsize(repo / output) > 0
    del after[output]
    assert after == before
    os.remove(repo / output)


def test_output_that_would_overwrite_an_input_is_refused(repo):
    before = _snapshot(repo)
    for target in ("hostile/anchors_merge.yaml", "new-file.yaml"):
        out = podlint("lint", ".", "-o", target, cwd=repo)
        assert out.exit_code == 2
        assert out.stderr == f"podlint: error: -o {target} would write into the inputs; choose another file\n"
    assert _snapshot(repo) == before
