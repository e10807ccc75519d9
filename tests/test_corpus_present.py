"""Where ../shared exists (podlint's own workspace and CI), the corpus tests run.

The tests that read ../shared/corpus skip without it, so that a clone's
`python -m pytest` passes (README). That must never turn into skipping them
where the corpus is meant to be: if ../shared is there, so is the corpus, and
`needs_corpus` does not skip.
"""
from __future__ import annotations

import pytest

from tests.robustness.support import CORPUS, corpus_files, needs_corpus

SHARED = CORPUS.parent


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"no {SHARED} beside the repository (a clone)")
def test_the_corpus_tests_run_where_shared_exists():
    assert CORPUS.is_dir(), f"{SHARED} exists but has no corpus/ folder"
    assert needs_corpus.args == (False,)            # the skipif condition is false: they run
    assert len(corpus_files()) > 3000
