"""Findings on `helm template` output land in the chart the author edits.

helm prints each rendered document as

    ---
    # Source: shop/templates/deployment.yaml
    apiVersion: apps/v1
    ...

(subcharts as `shop/charts/redis/templates/master.yaml`; documents without the
comment exist too: hand-added ones, or other tools' output in the same stream).
A finding on a document under such a comment is moved to the template file the
comment names, so SARIF code scanning and GitHub annotations point into the
chart; the rendered position and line are kept in the message, because the
rendered line is the truth and the template line is only found by search.

The path: when podlint rendered the chart itself (`lint --helm DIR`), the
comment's first component (the chart's name) is replaced by DIR; otherwise it
is used as printed. The line: the template is read if it exists, and the line
whose key matches the rendered line's key (`livenessProbe:`, `- name: app`) and
sits nearest the same relative place is chosen; with no such line, line 1.

`render_charts` runs `helm template DIR [--values F]...` with an argument list
(never a shell) when helm is on PATH.
"""
from __future__ import annotations

import bisect
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace

from podlint.loader import STDIN_NAME

_SOURCE = re.compile(r"^# Source: (\S.*?)\s*$")
_SEPARATOR = re.compile(r"^---(\s|$)")
HELM_TIMEOUT = 300


@dataclass(frozen=True)
class HelmSources:
    """Where `# Source:` comments and `---` separators sit in a stream (1-based lines)."""
    sources: tuple[tuple[int, str], ...]
    separators: tuple[int, ...]
    lines: tuple[str, ...]          # the rendered text, to quote the rendered line

    def source_of(self, line: int) -> tuple[int, str] | None:
        """(comment line, template path) of the document holding `line`, if any."""
        index = bisect.bisect_left(self.sources, (line, "")) - 1
        if index < 0:
            return None
        comment, path = self.sources[index]
        at = bisect.bisect_right(self.separators, line) - 1
        last_separator = self.separators[at] if at >= 0 else 0
        if comment < last_separator:
            return None         # a later document without a Source comment
        return comment, path

    def section_end(self, comment: int) -> int:
        at = bisect.bisect_right(self.separators, comment)
        return self.separators[at] - 1 if at < len(self.separators) else len(self.lines)


def _helm_path(text: str) -> bool:
    """What helm prints: CHART/templates/..., CHART/charts/SUB/..., CHART/crds/...
    (not a URL or prose that happens to follow `# Source:`, as in hand-written
    manifests crediting where they came from)."""
    parts = text.split("/")
    return (len(parts) >= 3 and "://" not in text and not text.startswith("/")
            and parts[1] in ("templates", "charts", "crds") and ".." not in parts
            and " " not in text)


def scan(text: str) -> HelmSources | None:
    if "# Source: " not in text:
        return None
    lines = text.split("\n")
    sources, separators = [], []
    for number, line in enumerate(lines, start=1):
        if line.startswith("# Source: "):
            match = _SOURCE.match(line)
            if match and _helm_path(match.group(1)):
                sources.append((number, match.group(1)))
        elif line.startswith("---") and _SEPARATOR.match(line):
            separators.append(number)
    if not sources:
        return None
    return HelmSources(tuple(sources), tuple(separators), tuple(lines))


def template_path(printed: str, chart_dir: str | None) -> str:
    if chart_dir is None:
        return printed
    parts = printed.split("/", 1)
    rest = parts[1] if len(parts) == 2 else parts[0]
    return os.path.join(chart_dir, *rest.split("/"))


_KEY = re.compile(r"^\s*(-\s+)?([^\s:#][^:#]*?):(\s|$)")


def _key(text: str) -> str | None:
    match = _KEY.match(text)
    if not match:
        return None
    return (match.group(1) and "- " or "") + match.group(2).strip().strip("'\"")


def template_line(path: str, rendered: str, fraction: float) -> tuple[int, int]:
    """(line, column) in the template best matching the rendered line, else (1, 1)."""
    key = _key(rendered)
    if key is None:
        return 1, 1
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read(4 * 1024 * 1024).split("\n")
    except OSError:
        return 1, 1
    candidates = []
    for number, line in enumerate(lines, start=1):
        if _key(line) == key:
            candidates.append(number)
    if not candidates:
        return 1, 1
    best = min(candidates, key=lambda n: (abs(n / max(len(lines), 1) - fraction), n))
    text = lines[best - 1]
    return best, len(text) - len(text.lstrip()) + 1


def _nearest_template_line(path: str, helm: HelmSources, line: int, comment: int,
                           fraction: float) -> tuple[int, int]:
    """The rendered line's key in the template, else its parent's (a value that came
    from `toYaml .Values...` is found at the key that includes it), else (1, 1)."""
    current = line
    indent = None
    while current > comment:
        text = helm.lines[current - 1]
        stripped = text.lstrip()
        width = len(text) - len(stripped)
        if stripped and not stripped.startswith("#") and (indent is None or width < indent):
            found = template_line(path, text, fraction)
            if found != (1, 1):
                return found
            indent = width
            if width == 0:
                break
        current -= 1
    return 1, 1


def _exists(path: str, cache: dict[str, bool]) -> bool:
    if path not in cache:
        cache[path] = os.path.isfile(path)
    return cache[path]


def remap(findings: list, helm: HelmSources, stream_label: str, chart_dir: str | None,
          stream_path: str = STDIN_NAME) -> list:
    """Findings under a `# Source:` comment moved to the template, rendered line in the message.

    Moved when the stream is stdin (its lines cannot be opened anyway), when
    podlint rendered the chart, or when the template exists at the printed path;
    a rendered file whose template is not on disk keeps its own location and
    names the template in the message."""
    from podlint.finding import Location

    out = []
    exists: dict[str, bool] = {}
    cache: dict[tuple[str, int], tuple[int, int]] = {}
    for finding in findings:
        line = finding.location.line
        found = helm.source_of(line) if finding.code != "PL001" else None
        if found is None:
            out.append(finding)
            continue
        comment, printed = found
        path = template_path(printed, chart_dir)
        if chart_dir is None and stream_path != STDIN_NAME and not _exists(path, exists):
            # A committed rendered file whose chart is not here: its own line is the
            # one a reviewer can open, so it stays; the message names the template.
            out.append(replace(finding, message=f"{finding.message} (from template {printed})"))
            continue
        rendered = helm.lines[line - 1] if 0 < line <= len(helm.lines) else ""
        end = helm.section_end(comment)
        fraction = (line - comment) / max(end - comment, 1)
        key = (path, line)
        if key not in cache:
            cache[key] = _nearest_template_line(path, helm, line, comment, fraction)
        new_line, new_column = cache[key]
        quoted = rendered.strip()
        if len(quoted) > 80:
            quoted = quoted[:77] + "..."
        message = f"{finding.message} (rendered {stream_label}:{line}: `{quoted}`)"
        out.append(replace(finding, location=Location(path, new_line, new_column), message=message))
    return out


# ----------------------------------------------------------------------------- rendering

class HelmError(Exception):
    """helm missing, a folder without Chart.yaml, or helm failing (exit 2)."""


@dataclass
class Rendered:
    paths: tuple[str, ...]                      # the rendered streams, to lint
    charts: tuple[tuple[str, str], ...]         # (stream path, chart folder)
    folder: str

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def render_charts(charts, values=()) -> Rendered:
    for chart in charts:
        if not os.path.isfile(os.path.join(chart, "Chart.yaml")):
            raise HelmError(f"--helm {chart}: no Chart.yaml in that folder")
    helm = shutil.which("helm")
    if helm is None:
        raise HelmError("--helm needs the helm binary on PATH (https://helm.sh/docs/intro/install/); "
                        "without it, render the chart yourself: helm template CHART | podlint lint -")
    folder = tempfile.mkdtemp(prefix="podlint-helm-")
    paths, mapping = [], []
    try:
        for number, chart in enumerate(charts):
            argv = [helm, "template"]
            for value in values:
                argv += ["--values", value]
            argv += ["--", chart]
            try:
                done = subprocess.run(argv, capture_output=True, timeout=HELM_TIMEOUT, check=False,
                                      stdin=subprocess.DEVNULL)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise HelmError(f"helm template {chart} failed: {exc}") from None
            if done.returncode != 0:
                message = done.stderr.decode("utf-8", "replace").strip().splitlines()
                raise HelmError(f"helm template {chart} failed: "
                                f"{message[-1] if message else 'exit ' + str(done.returncode)}")
            path = os.path.join(folder, f"{number}-{os.path.basename(os.path.abspath(chart))}.yaml")
            with open(path, "wb") as out:
                out.write(done.stdout)
            paths.append(path)
            mapping.append((path, os.path.normpath(chart)))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Rendered(tuple(paths), tuple(mapping), folder)


def stream_label(path: str, charts: tuple[tuple[str, str], ...]) -> tuple[str, str | None]:
    """How the message names the rendered stream, and the chart folder if podlint rendered it."""
    for stream, chart in charts:
        if stream == path:
            return f"helm template {chart}", chart
    return path, None
