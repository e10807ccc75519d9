"""A big multi-document bundle of ordinary Deployments, for benchmarks/run.py.

Rendered operators and CRD sets arrive as one file of thousands of documents;
this builds such a file from real manifests so that its cost per MB can be
compared with the corpus's. Two flavours:

- `corpus`: every Deployment document of the corpus that parses, in path order,
  repeated until the size is reached; each copy's `metadata.name` gets a suffix
  (when it is a plain name) so that the objects differ. Same kind of YAML, so
  the same nodes per MB, as the corpus itself.
- `dense`: copies of benchmarks/data/deployment-service.yaml (flow style, about
  10 characters a node against the corpus's 30: three times the nodes per MB).

The file is written where it is asked to be (a temporary folder): never commit one.

Usage:
    python benchmarks/bundle.py OUT.yaml [--megabytes 20] [--flavour corpus|dense] [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL_FILE = HERE / "data" / "deployment-service.yaml"
_MARKER = re.compile(r"^---[ \t]*(?:#.*)?$", re.MULTILINE)
_NAME = re.compile(r"^(metadata:[ \t]*\n(?:[ \t]+.*\n)*?  name: )([A-Za-z0-9][A-Za-z0-9.-]*)[ \t]*$",
                   re.MULTILINE)


def corpus_deployments(corpus: str) -> list[str]:
    """The text of every corpus document that is an apps/v1 Deployment and parses."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith((".yaml", ".yml")):
                continue
            try:
                text = Path(root, name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if "kind: Deployment" not in text or "{{" in text:
                continue
            for piece in _MARKER.split(text):
                if "kind: Deployment" not in piece:
                    continue
                try:
                    data = yaml.load(piece)
                except Exception:
                    continue
                if isinstance(data, dict) and data.get("kind") == "Deployment" \
                        and data.get("apiVersion") == "apps/v1":
                    out.append(piece.strip("\n") + "\n")
    return out


def write_bundle(path: str, megabytes: float = 20, flavour: str = "corpus",
                 corpus: str | None = None) -> tuple[int, int]:
    """Write the bundle; (documents, bytes)."""
    if flavour == "corpus" and corpus:
        sources = corpus_deployments(corpus)
    else:
        sources = []
    if not sources:
        sources = [SMALL_FILE.read_text(encoding="utf-8")]
    target = int(megabytes * 1_000_000)
    size = documents = copy = 0
    with open(path, "w", encoding="utf-8") as handle:
        while size < target:
            for source in sources:
                text = _NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}-c{copy}", source, count=1)
                piece = ("---\n" if size else "") + text
                handle.write(piece)
                size += len(piece.encode("utf-8"))
                documents += text.count("\n---\n") + 1
                if size >= target:
                    break
            copy += 1
    return documents, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--megabytes", type=float, default=20)
    parser.add_argument("--flavour", choices=("corpus", "dense"), default="corpus")
    parser.add_argument("--corpus")
    args = parser.parse_args()
    documents, size = write_bundle(args.out, args.megabytes, args.flavour, args.corpus)
    print(f"{args.out}: {documents} documents, {size:,} bytes")


if __name__ == "__main__":
    main()
