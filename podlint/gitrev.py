"""`git:REF` sides of `podlint diff`: the same paths, as a git revision has them.

A pull request controls branch names, so REF is only ever a revision to git:
one starting with `-` is refused, `--end-of-options` ends git's option parsing
before it, and the only commands run are `git ls-tree` (which files exist under
the paths) and `git show` (their contents), with an argument list, never a
shell. The files are written under a temporary folder with the same relative
paths, linted there, and their paths shown as the working tree's.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from podlint.loader import MANIFEST_SUFFIXES

PREFIX = "git:"
TIMEOUT = 120


class GitError(Exception):
    """The revision or the paths cannot be read from git (exit 2)."""


def is_git(spec: str) -> bool:
    return spec.startswith(PREFIX)


def check_ref(ref: str) -> str:
    if not ref:
        raise GitError("git: needs a revision, e.g. git:origin/main")
    if ref.startswith("-"):
        raise GitError(f"refusing git revision {ref!r}: it starts with '-' (an option to git)")
    if any(ch in ref for ch in "\0\n\r") or ":" in ref:
        raise GitError(f"refusing git revision {ref!r}: it holds ':' or a control character")
    return ref


def _git(args: list[str], cwd: str | None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitError("git is not on PATH; git:REF needs it")
    try:
        done = subprocess.run([git, *args], cwd=cwd, capture_output=True, timeout=TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


class Materialized:
    """Files of REF under `paths`, written below a temporary folder."""

    def __init__(self, ref: str, paths, cwd: str | None = None):
        self.ref = check_ref(ref)
        self.root = tempfile.mkdtemp(prefix="podlint-git-")
        self.paths: list[str] = []
        try:
            self._fill(list(paths) or ["."], cwd)
        except BaseException:
            self.cleanup()
            raise

    def _fill(self, paths: list[str], cwd: str | None) -> None:
        for path in paths:
            if path == "-":
                raise GitError("git:REF cannot be compared with stdin")
            listing = _git(["ls-tree", "-r", "-z", "--end-of-options", self.ref, "--", path], cwd)
            files = []
            for entry in listing.split(b"\0"):
                if not entry:
                    continue
                meta, _, name = entry.partition(b"\t")
                parts = meta.split()
                if len(parts) < 2 or parts[1] != b"blob" or parts[0] == b"120000":
                    continue            # submodules, trees, symlinks
                text = os.fsdecode(name)
                explicit = os.path.normpath(text) == os.path.normpath(path)
                hidden = any(p.startswith(".") and p not in (".", "..")
                             for p in text.split("/"))
                if explicit or (text.lower().endswith(MANIFEST_SUFFIXES) and not hidden):
                    files.append(text)
            # Each file is named to the run (not the folder): an absolute PATH or one
            # with ../ maps onto the names git printed, relative to the working folder.
            # A path REF does not have adds nothing: every object in it is added.
            for text in files:
                blob = _git(["show", "--end-of-options", f"{self.ref}:./{text}"], cwd)
                target = os.path.join(self.root, _safe(text))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    out.write(blob)
                if target not in self.paths:
                    self.paths.append(target)

    def display(self, path: str) -> str:
        """A materialized path shown as the working tree's relative path."""
        prefix = self.root + os.sep
        if path.startswith(prefix):
            return path[len(prefix):]
        return path

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _safe(path: str) -> str:
    """A git path (relative to cwd, maybe with ../) kept inside the temporary folder."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    parts = ["__up__" if p == ".." else p for p in parts]
    return os.path.join(*parts) if parts else "."
