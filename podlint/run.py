"""A whole lint run: discover files, lint them (serially or across `--jobs`
worker processes, split by file), settle cross-file conditions, sort.

Files stream through one at a time; a worker sends back findings and a small
summary, never documents. Output is sorted, so it is byte-identical whatever
`--jobs` is and whatever order the paths came in.
"""
from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable, Iterable

from podlint.config import Settings
from podlint.crossfile import Summary, settle
from podlint.engine import FileResult, lint_loaded
from podlint.filter import RulePlan
from podlint.finding import Finding, Location, severity_rank
from podlint.loader import STDIN_NAME, Source, discover, load_parts

# Below this much input, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 512 * 1024
CHUNK_FILES = 8
CHUNK_BYTES = 256 * 1024        # a bigger file is a task of its own


@dataclass
class RunSummary:
    files: int = 0
    files_linted: int = 0
    files_with_errors: int = 0
    files_skipped: int = 0
    documents: int = 0
    workloads: int = 0
    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    by_code: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "files_linted": self.files_linted,
            "files_with_errors": self.files_with_errors,
            "files_skipped": self.files_skipped,
            "documents": self.documents,
            "workloads": self.workloads,
            "findings": self.findings,
            "by_severity": dict(self.by_severity),
            "by_code": dict(sorted(self.by_code.items())),
            "skipped": [{"path": p, "reason": r} for p, r in self.skipped],
        }


@dataclass
class RunResult:
    findings: list[Finding]
    summary: RunSummary
    rules: tuple            # the RuleSpecs in force (for SARIF's rule catalogue)
    settings: Settings
    files: list[str] = field(default_factory=list)    # every path linted, sorted (JUnit lists clean files)
    warnings: list[str] = field(default_factory=list)  # for stderr: --assume naming no container
    baseline: Any = None    # podlint.baseline.BaselineOutcome when --baseline was applied

    def exit_code(self, exit_zero: bool = False) -> int:
        if any(f.code in ("PL000", "PL001") for f in self.findings):
            return 2
        if exit_zero:
            return 0
        threshold = severity_rank(self.settings.fail_on)
        return 1 if any(severity_rank(f.severity) >= threshold for f in self.findings) else 0


def finding_sort_key(finding: Finding) -> tuple:
    return (finding.location.path != STDIN_NAME, finding.location.path.split(os.sep),
            finding.location.line, finding.location.column, finding.code, finding.message,
            finding.workload or "", finding.container or "")


def lint_paths(paths: Iterable[str], settings: Settings, jobs: int | None = None) -> RunResult:
    from podlint.registry import all_rules

    paths = list(paths)
    plan = RulePlan.build(settings, all_rules())
    sources = sources_for(paths, settings)
    results = _lint_sources(sources, settings, plan, jobs)
    summary = Summary()
    run = RunSummary(files=len(sources))
    findings: list[Finding] = []
    containers: set[str] = set()
    for result in results:
        summary.merge(result.summary)
        containers |= result.containers
        findings.extend(result.findings)
        run.documents += result.documents
        run.workloads += result.workloads
        if result.parse_failed:
            run.files_with_errors += 1
        elif result.skipped:
            run.files_skipped += 1
            run.skipped.append((result.path, result.skipped))
        else:
            run.files_linted += 1
    findings = sorted(settle(findings, summary), key=finding_sort_key)
    run.findings = len(findings)
    for finding in findings:
        run.by_severity[finding.severity] = run.by_severity.get(finding.severity, 0) + 1
        run.by_code[finding.code] = run.by_code.get(finding.code, 0) + 1
    from podlint.assumptions import unmatched_warnings
    warnings = unmatched_warnings(settings, containers, check_config=walks_folders(paths))
    return RunResult(findings, run, plan.rules, settings, [s.path for s in sources], warnings)


def walks_folders(paths: Iterable[str]) -> bool:
    """Whether a run covers more than the files it names (a folder, or stdin)."""
    return any(p == "-" or os.path.isdir(p) for p in paths)


def sources_for(paths: Iterable[str], settings: Settings) -> list[Source]:
    """The files a run reads: `discover(paths)` minus the `exclude` globs.

    `exclude` prunes what directory walks find. A file named on the command line
    is linted even when a glob matches it, as in ruff and flake8: the user asked
    for it, and "0 files" would hide that nothing was checked. `force-exclude`
    (flag `--force-exclude`) applies the globs to named files too; the
    pre-commit hook passes it, because pre-commit names every staged file and
    users write `exclude` to keep some of them out (ruff-pre-commit does the
    same, astral-sh/ruff-pre-commit#19)."""
    paths = list(paths)
    if not settings.exclude:
        return discover(paths)
    named = set() if settings.force_exclude else {
        os.path.normpath(p) for p in paths if p != "-" and not os.path.isdir(p)}
    return [s for s in discover(paths)
            if s.path in named or not _excluded(s.path, settings.exclude)]


def _excluded(path: str, globs: tuple[str, ...]) -> bool:
    normalized = path.replace("\\", "/")
    return any(fnmatch.fnmatch(normalized, g) or fnmatch.fnmatch(normalized, f"*/{g}")
               for g in globs)


def lint_source(source: Source, settings: Settings, plan: RulePlan) -> FileResult:
    """Lint one file part by part (loader.load_parts): each part's documents are
    dropped before the next part is composed, so a 20 MB bundle costs the memory
    of one part; the parts' results add up to the file's."""
    result: FileResult | None = None
    for part in load_parts(source, settings.max_file_size):
        done = lint_loaded(part, settings, plan)
        if result is None:
            result = done
        else:
            result.findings.extend(done.findings)
            result.documents += done.documents
            result.workloads += done.workloads
            result.parse_failed = result.parse_failed or done.parse_failed
            result.summary.merge(done.summary)
            result.containers |= done.containers
    assert result is not None       # load_parts yields at least one part
    return result


def _lint_sources(sources: list[Source], settings: Settings, plan: RulePlan,
                  jobs: int | None) -> list[FileResult]:
    return map_files(sources, partial(lint_source, settings=settings, plan=plan), jobs, _crashed)


def map_files(sources: list[Source], work: Callable[[Source], Any], jobs: int | None,
              crashed: Callable[[list[Source], str], list]) -> list:
    """`work(source)` for every source, in the order of `sources`: serially for
    small inputs, else split by file across `jobs` worker processes (default:
    the number of CPUs). `lint`, `explain` and `graph` share it.

    `work` and its results cross process boundaries, so both must pickle (a
    module-level function, or a functools.partial of one). `crashed(sources,
    reason)` stands in for the results of files whose worker failed.
    """
    jobs = jobs or os.cpu_count() or 1
    if not _should_parallelise(sources, jobs):
        return [work(source) for source in sources]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results: list = [None] * len(sources)
    parallel = []
    for index, source in enumerate(sources):
        if source.path == STDIN_NAME:
            results[index] = work(source)
        else:
            parallel.append((index, source))
    chunks = _chunks(parallel)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    broken: list[tuple[int, Source]] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(work,)) as pool:
        futures = [pool.submit(_work_chunk, [source for _, source in chunk]) for chunk in chunks]
        for chunk, future in zip(chunks, futures):
            try:
                done = future.result()
            except BrokenProcessPool:
                broken.extend(chunk)
                continue
            except Exception as exc:          # an error while pickling results, for example
                done = crashed([source for _, source in chunk], f"{type(exc).__name__}: {exc}")
            for (index, _), result in zip(chunk, done):
                results[index] = result
    for (index, _), result in zip(broken, _isolated([s for _, s in broken], work, crashed, context)):
        results[index] = result
    return results


def _work_chunk(chunk: list[Source]) -> list:
    work = _WORKER_STATE[0]
    return [work(source) for source in chunk]


_WORKER_STATE: tuple = ()


def _init_worker(work: Callable[[Source], Any]) -> None:
    global _WORKER_STATE
    _WORKER_STATE = (work,)


def _should_parallelise(sources: list[Source], jobs: int) -> bool:
    if jobs <= 1 or len(sources) < PARALLEL_MIN_FILES:
        return False
    total = 0
    for source in sources:
        if source.error is None and source.path != STDIN_NAME:
            try:
                total += os.path.getsize(source.path)
            except OSError:
                pass
        if total >= PARALLEL_MIN_BYTES:
            return True
    return False


def _chunks(sources: list[tuple[int, Source]]) -> list[list[tuple[int, Source]]]:
    """Tasks for the workers, the biggest files first.

    In path order, the corpus's 2 MB files (lint time ~1 s each) sit together
    and end up in the last tasks, leaving one worker busy while the other idles;
    largest-first with tasks of at most CHUNK_FILES files and CHUNK_BYTES bytes
    keeps both busy to the end (longest-processing-time-first scheduling). Each
    source keeps its index, so the results go back in path order.
    """
    sized = []
    for index, source in sources:
        try:
            size = os.path.getsize(source.path) if source.error is None else 0
        except OSError:
            size = 0
        sized.append((-size, index, source))
    sized.sort(key=lambda item: (item[0], item[1]))
    chunks: list[list[tuple[int, Source]]] = []
    current: list[tuple[int, Source]] = []
    current_bytes = 0
    for negative_size, index, source in sized:
        size = -negative_size
        if current and (len(current) >= CHUNK_FILES or current_bytes + size > CHUNK_BYTES):
            chunks.append(current)
            current, current_bytes = [], 0
        current.append((index, source))
        current_bytes += size
    if current:
        chunks.append(current)
    return chunks


def _isolated(sources: list[Source], work: Callable[[Source], Any], crashed, context) -> list:
    """Redo, one process per file, the files a dead worker left unfinished.

    When a worker dies (a rule calling os._exit, a segfault in a C extension, the
    OOM killer) every pending future of the pool fails at once, and the pool cannot
    say which file was the cause. Each file gets a fresh process of its own: the
    one that dies again is reported through `crashed` (for lint: PL000 with its
    exit code), the others are handled normally. Costs a fork per file, and only
    after a crash.
    """
    results: list = []
    for source in sources:
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_work_into_pipe, args=(writer, source, work),
                                  daemon=True)
        process.start()
        writer.close()
        try:
            result = reader.recv()
        except (EOFError, OSError):
            result = None
        reader.close()
        process.join()
        if isinstance(result, tuple) and len(result) == 2 and result[0] == "done":
            results.append(result[1])
        else:
            code = process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
            results.extend(crashed([source], f"its worker process died ({how})"))
    return results


def _work_into_pipe(writer, source: Source, work: Callable[[Source], Any]) -> None:
    writer.send(("done", work(source)))
    writer.close()


def _crashed(chunk: list[Source], reason: str) -> list[FileResult]:
    out = []
    for source in chunk:
        finding = Finding(Location(source.path, 1, 1), "PL000", "internal-error", "error",
                          f"file not linted: {reason}"[:300], None, None,
                          "rerun with --jobs 1 to see whether the file itself is the cause")
        out.append(FileResult(source.path, [finding], parse_failed=True))
    return out


def lint_text(text: str, settings: Settings | None = None, path: str = "example.yaml") -> list[Finding]:
    """Lint a string as if it were one file (tests, docs, editor integrations)."""
    from podlint.loader import LoadedFile, parse_text
    from podlint.registry import all_rules

    settings = settings or Settings()
    plan = RulePlan.build(settings, all_rules())
    result = lint_loaded(parse_text(text, LoadedFile(path)), settings, plan)
    return sorted(settle(result.findings, result.summary), key=finding_sort_key)
