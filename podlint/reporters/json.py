"""One JSON object: podlint_version, findings (design.md section 5), summary."""
from __future__ import annotations

import json
from typing import TextIO

from podlint import __version__


def render(result, out: TextIO, color: bool = False) -> None:
    document = {
        "podlint_version": __version__,
        "findings": [finding.to_dict() for finding in result.findings],
        "summary": result.summary.to_dict(),
    }
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")
