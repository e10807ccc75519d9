"""Unrendered Helm chart templates: recognised and skipped, never linted.

A chart's `templates/` files are Go templates that only become manifests when
Helm renders them; linting them as they stand reports the template, not the
manifest (and a pre-commit hook hands them over in any repository with a
chart). `helm template` output is what to lint: it carries `# Source:` comments
and no template actions.

Two signs, either enough:

- the path: a file below `templates/` in a folder holding `Chart.yaml`;
- the text: a `{{ ... }}` action, outside comments, that names Helm's objects or
  functions (`.Values`, `.Release`, `include`, ...), or that YAML does not read
  as part of a string (`name: {{ .x }}` is a flow mapping to YAML; `{{- if }}`
  on a line of its own; a text that does not parse at the action).

Rendered manifests legitimately hold `{{` inside strings: Prometheus and
Alertmanager templates (`"{{ $labels.instance }}"`), Argo Workflows parameters
(`"{{inputs.parameters.name}}"`); those are linted.
"""
from __future__ import annotations

import bisect
import os
import re

from podlint.limits import document_segments
from podlint.sources import STDIN_NAME

TEMPLATE_TEXT = "Go template markers ({{ }}): render the chart first"

# `${REPLICAS:-1}`, `${PORT}`, `$TAG`: a value an envsubst-style template fills in
# before `kubectl apply`. Unlike a Helm template the file is YAML as it stands, so
# it is linted, but a value that is nothing but a placeholder has no type or value
# of its own yet (review seed 20261206, S008).
_ENV_PLACEHOLDER = re.compile(r"\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?::?[-=+?][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)\Z")


def env_placeholder(value: object) -> bool:
    """Is `value` nothing but an environment placeholder (`${NAME:-default}`, `$NAME`)?"""
    return isinstance(value, str) and _ENV_PLACEHOLDER.match(value) is not None
CHART_TEMPLATE = "Helm chart template (templates/ folder of a chart): render the chart first"

_ACTION = re.compile(r"\{\{(.{0,500}?)\}\}", re.DOTALL)
_HELM = re.compile(r"\$?\.(?:Values|Release|Chart|Capabilities|Files|Template)\b"
                   r"|\b(?:include|tpl|required|toYaml|lookup)\b")
_COMMENT = re.compile(r"(?:^|\s)#", re.MULTILINE)


def chart_template(path: str) -> str | None:
    """The reason to skip a file inside a chart's `templates/` folder, else None."""
    if path == STDIN_NAME:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    while True:
        parent = os.path.dirname(folder)
        if os.path.basename(folder) == "templates" and os.path.isfile(os.path.join(parent, "Chart.yaml")):
            return CHART_TEMPLATE
        if parent == folder:
            return None
        folder = parent


def template_text(text: str) -> str | None:
    """The reason to skip a text holding Helm template actions, else None."""
    if "{{" not in text:
        return None
    actions = []
    for match in _ACTION.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if not _COMMENT.search(text, line_start, match.start()):
            actions.append(match)
    if not actions:
        return None
    if any(_HELM.search(action.group(1)) for action in actions):
        return TEMPLATE_TEXT
    offsets = [action.start() for action in actions]
    for start, end in document_segments(text):
        inside = offsets[bisect.bisect_left(offsets, start):bisect.bisect_left(offsets, end)]
        if not inside:
            continue            # only the pieces holding an action are parsed
        spans, broken = _scalar_spans(text[start:end])
        if any(not _in_a_string(spans, broken, offset - start) for offset in inside):
            return TEMPLATE_TEXT
    return None


def _in_a_string(spans: list[tuple[int, int]], broken: int | None, offset: int) -> bool:
    if broken is not None and offset >= broken:
        return False
    at = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]


def _scalar_spans(piece: str) -> tuple[list[tuple[int, int]], int | None]:
    """(start, end) offsets of every scalar of a YAML text, in order, and the
    offset where it stops parsing (None if it parses)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import ScalarEvent

    spans: list[tuple[int, int]] = []
    try:
        for event in YAML(typ="safe").parse(piece):
            if isinstance(event, ScalarEvent):
                spans.append((event.start_mark.index, event.end_mark.index))
    except Exception as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        index = getattr(mark, "index", None)
        if index is None:
            index = getattr(exc, "position", 0) or 0
        return spans, int(index)
    return spans, None
