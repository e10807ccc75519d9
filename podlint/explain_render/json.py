"""The stable JSON shape of design.md section 4 (documented in docs/explain.md):
`{"podlint_version", "kubernetes_version", "workloads": [{"kind", "name",
"namespace", "path", "line", "startup", "shutdown", "ready", "assumptions",
"findings"}]}`. Deterministic: keys in a fixed order, events in chronological
order (ties in spec order), unbounded times as null, ASCII-only."""
from __future__ import annotations

import json
from typing import TextIO


def render(explained: list, settings, out: TextIO, color: bool = False) -> None:
    from podlint.explain_render.document import document

    json.dump(document(explained, settings), out, indent=2, ensure_ascii=True, allow_nan=False)
    out.write("\n")
