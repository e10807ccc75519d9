"""`podlint graph`: print each workload's lifecycle dependency graph as text,
Graphviz DOT, a Mermaid flowchart or networkx node-link JSON.

One graph per workload, in file order (files sorted as `lint` sorts them).
Every id and label comes from an untrusted manifest, so each format escapes
them its own way: DOT quotes everything and escapes backslashes, quotes and
control characters; Mermaid gets generated node ids and entity-coded labels;
text replaces control characters. Problems go to stderr as
`path:line:col: CODE message` and make the exit code 2; the other files are
still graphed.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any, TextIO

from podlint import __version__
from podlint.config import Settings
from podlint.finding import Location
from podlint.workloads import WorkloadFilter

FORMATS = ("text", "dot", "mermaid", "json")
EXIT_OK = 0
EXIT_ERROR = 2


@dataclass
class Entry:
    """One workload and its graph."""
    kind: str
    name: str | None
    namespace: str | None
    path: str
    line: int
    column: int
    graph: Any                  # networkx.DiGraph
    key: tuple = ()             # crossfile.object_key of its document

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name or '<unnamed>'}"


def run_graph(paths, settings: Settings, fmt: str, workloads, stream: TextIO,
              err: TextIO | None = None, jobs: int | None = None) -> int:
    """Graph every workload under `paths`; 0, or 2 when a file could not be
    read or parsed, a workload could not be modelled, or no workload matched."""
    err = err if err is not None else sys.stderr
    selection = WorkloadFilter(workloads)
    entries, status = collect(paths, settings, selection, err, jobs)
    for text in selection.unmatched():
        err.write(f"podlint: error: no workload matched --workload {_clean(text)}\n")
        status = EXIT_ERROR
    if not entries and not selection.filters and status == EXIT_OK:
        err.write("podlint: error: no workload found (Pod, Deployment, StatefulSet, DaemonSet, "
                  "ReplicaSet, ReplicationController, Job, CronJob, PodTemplate)\n")
        status = EXIT_ERROR
    RENDERERS[fmt](entries, stream)
    return status


@dataclass
class _FileGraphs:
    """What one file contributes to `graph` (built in a --jobs worker or here)."""
    entries: list
    errors: str                     # the stderr lines of this file, in order
    failed: bool
    matched: list
    summary: Any = None             # podlint.crossfile.Summary: Services, budgets, autoscalers


def collect(paths, settings: Settings, selection: "WorkloadFilter",
            err: TextIO, jobs: int | None = None) -> tuple[list[Entry], int]:
    """Every selected workload's graph, file by file across `jobs` worker
    processes like `lint` (run.map_files: small inputs serially); entries and
    stderr lines come out in path order whatever `jobs` is."""
    from functools import partial

    from podlint.run import map_files, sources_for

    sources = sources_for(paths, settings)
    parts = map_files(sources, partial(_graph_file, settings=settings,
                                       workloads=tuple(selection.texts)), jobs, _crashed_files)
    from podlint.crossfile import Summary

    entries: list[Entry] = []
    status = EXIT_OK
    summary = Summary()
    for part in parts:
        err.write(part.errors)
        if part.failed:
            status = EXIT_ERROR
        entries.extend(part.entries)
        if part.summary is not None:
            summary.merge(part.summary)
        for number, hit in enumerate(part.matched):
            if hit:
                selection.matched[number] = True
    _relate(entries, summary)
    return entries, status


def _relate(entries: list[Entry], summary) -> None:
    """Add the Services, budgets and autoscalers in each workload's scope."""
    from podlint.graph import add_related

    index = summary.index
    for entry in entries:
        pod = summary.pods.get(entry.key)
        if pod is None:
            continue
        add_related(entry.graph, index.services_selecting(pod),
                    [index.covered(b) for b in index.budgets_for(pod)], index.autoscalers_for(pod))


def _graph_file(source, settings: Settings, workloads: tuple) -> _FileGraphs:
    """Load one file and graph its workloads (run.map_files calls it, maybe in a worker)."""
    import io

    from podlint.crossfile import Summary, object_key
    from podlint.graph import build_graph
    from podlint.loader import load_parts
    from podlint.workloads import object_identity
    from podlint.model import model_document
    from podlint.workloads import WorkloadFilter

    err = io.StringIO()
    selection = WorkloadFilter(workloads)
    entries: list[Entry] = []
    failed = False
    summary = Summary()
    # part by part, like lint: a 20 MB bundle is held one part at a time
    for loaded in load_parts(source, settings.max_file_size):
        for finding in loaded.findings:
            _report(err, finding.location, finding.code, finding.message)
            failed = True
        if loaded.skipped:
            err.write(f"{_clean(loaded.path)}: skipped: {_clean(loaded.skipped)}\n")
        for document in loaded.documents:
            identity = object_identity(document.data)
            summary.add_document(document, *(identity[1:] if identity else (None, None, None)))
            workload, pod, problem = model_document(document)
            if problem is not None:
                _report(err, problem.location, problem.code, problem.message)
                failed = True
                continue
            if pod is not None:
                summary.add_pod(document, pod)
            if pod is None or not selection.selects(workload):
                continue
            try:
                graph = build_graph(pod)
            except Exception as exc:        # a bug here must not lose the other workloads
                _report(err, workload.location, "PL000",
                        f"graph of {workload.ref} failed: {type(exc).__name__}: {exc}")
                failed = True
                continue
            entries.append(Entry(workload.kind, workload.name, workload.namespace, workload.path,
                                 workload.location.line, workload.location.column, graph,
                                 object_key(document)))
    return _FileGraphs(entries, err.getvalue(), failed, selection.matched, summary)


def _crashed_files(sources, reason: str) -> list[_FileGraphs]:
    """A file whose --jobs worker died: reported on stderr like a failed graph."""
    import io

    out = []
    for source in sources:
        buffer = io.StringIO()
        _report(buffer, Location(source.path, 1, 1), "PL000", f"file not graphed: {reason}"[:300])
        out.append(_FileGraphs([], buffer.getvalue(), True, []))
    return out


def _report(err: TextIO, location: Location, code: str, message: str) -> None:
    err.write(f"{_clean(location.path)}:{location.line}:{location.column}: {code} "
              f"{_clean(message)}\n")


# ----------------------------------------------------------------------------- helpers

def _clean(text: Any) -> str:
    """Text safe for a terminal: control characters become \\xNN."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                   for c in text)


def _title(entry: Entry) -> str:
    namespace = f" (namespace {entry.namespace})" if entry.namespace else ""
    return f"{entry.ref}{namespace}"


def _edge_note(data: dict) -> str:
    relation = data["relation"]
    if relation in ("runs-before", "gates"):
        return f"waits for: {data.get('wait', '')}"
    if relation == "mounts":
        mode = "read-only" if data["read_only"] else "read-write"
        paths = ", ".join("?" if p is None else str(p)
                          for p in data.get("mount_paths") or [data.get("mount_path")])
        device = " (device)" if data.get("device") else ""
        return f"{mode} at {paths}{device}"
    if relation == "references":
        optional = ", optional" if data.get("optional") else ""
        return f"via {data.get('via') or '?'}{optional}"
    if relation == "selects":
        return f"ports {data.get('ports') or 'none'}"
    if relation == "covers":
        allowed = "unknown" if data.get("allowed") is None else data["allowed"]
        return f"{data.get('rule')}, evictions allowed {allowed}"
    if relation == "scales":
        return f"{data.get('min_replicas')} to {data.get('max_replicas')} replicas"
    return ""


# ----------------------------------------------------------------------------- text

def render_text(entries: list[Entry], stream: TextIO) -> None:
    """Per workload: a header, the start order, then every node with its
    attributes and its outgoing edges, indented."""
    from podlint.graph import startup_order

    for number, entry in enumerate(entries):
        graph = entry.graph
        if number:
            stream.write("\n")
        stream.write(_clean(f"{_title(entry)}  {entry.path}:{entry.line}:{entry.column}") + "\n")
        order = [graph.nodes[n]["name"] for n in startup_order(graph)]
        nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
        stream.write(f"  {nodes} node{'s' * (nodes != 1)}, {edges} edge{'s' * (edges != 1)}; "
                     f"start order: {_clean(' -> '.join(order) or '(no containers)')}\n")
        width = max(len(_clean(n)) for n in graph.nodes)
        for node, data in graph.nodes(data=True):
            where = f"  line {data['line']}" if "line" in data else ""
            summary = _node_summary(data, _needed_by(graph, node) if data["type"] == "external" else ())
            stream.write(f"  {_clean(node):<{width}}  {_clean(summary)}{where}\n")
            for _, target, edge in graph.out_edges(node, data=True):
                note = _edge_note(edge)
                note = f"  ({_clean(note)})" if note else ""
                stream.write(f"      {edge['relation']:<11} -> {_clean(target)}{note}\n")


def _needed_by(graph, node: str) -> list[str]:
    from podlint.graph import containers_needing

    return [graph.nodes[c]["name"] for c in containers_needing(graph, node)]


def _node_summary(data: dict, needed=()) -> str:
    kind = data["type"]
    if kind == "pod":
        return (f"{data['label']}, restartPolicy {data['restart_policy']}, "
                f"grace {data['termination_grace']}s")
    if kind == "container":
        image = f", image {data['image']}" if data.get("image") else ""
        return f"{data['role']} #{data['order'] + 1}{image}"
    if kind == "volume":
        return data["label"]
    if kind == "external":
        optional = "optional " if data.get("optional") else ""
        return f"{optional}{data['kind']}, needed by {', '.join(needed) or 'no container'}"
    if kind == "related":
        return f"{data['kind']} in the workload's scope ({data['path']})"
    return data["label"]


# ----------------------------------------------------------------------------- dot

DOT_NODE_STYLE = {
    "pod": {"shape": "box3d"},
    "container": {"shape": "box", "style": "rounded,filled"},
    "hook": {"shape": "cds"},
    "probe": {"shape": "hexagon"},
    "volume": {"shape": "cylinder"},
    "external": {"shape": "note"},
    "related": {"shape": "component"},
}
DOT_ROLE_COLOR = {"init": "#dfe8f7", "sidecar": "#e4f4e1", "main": "#fdf1d6"}
DOT_EDGE_STYLE = {
    "runs-before": {"style": "bold"},
    "gates": {"style": "dashed", "color": "#b05a00"},
    "hook-of": {"style": "dotted", "arrowhead": "none"},
    "probe-of": {"style": "dotted", "arrowhead": "none"},
    "mounts": {"color": "#3b6ea5"},
    "references": {"style": "dashed", "color": "#777777"},
    "selects": {"color": "#2d7d46"},
    "covers": {"color": "#9a3b3b"},
    "scales": {"color": "#6b4fa3"},
}
DOT_NODE_DATA = ("type", "role", "order", "kind", "volume_type", "line")


def dot_quote(text: Any) -> str:
    """A DOT double-quoted string: backslash and quote escaped, control
    characters written as \\xNN so that nothing can end the string or the line."""
    out = []
    for char in str(text):
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif not char.isprintable() and char != " ":
            out.append(f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _dot_attrs(attrs: dict) -> str:
    return ", ".join(f"{key}={dot_quote(value)}" for key, value in attrs.items() if value is not None)


def render_dot(entries: list[Entry], stream: TextIO) -> None:
    """One `digraph` per workload (graphviz renders each; `dot -Tsvg -O`)."""
    for number, entry in enumerate(entries):
        graph = entry.graph
        if number:
            stream.write("\n")
        stream.write(f"digraph {dot_quote(entry.ref)} {{\n")
        stream.write(f"  label={dot_quote(_title(entry))};\n  labelloc=\"t\";\n  rankdir=\"LR\";\n")
        for node, data in graph.nodes(data=True):
            attrs = {"label": data["label"], **DOT_NODE_STYLE[data["type"]]}
            if data["type"] == "container":
                attrs["fillcolor"] = DOT_ROLE_COLOR.get(data["role"])
            if data["type"] == "volume" and not data.get("defined", True):
                attrs["color"] = "red"
            attrs.update({k: data[k] for k in DOT_NODE_DATA if data.get(k) is not None})
            stream.write(f"  {dot_quote(node)} [{_dot_attrs(attrs)}];\n")
        for source, target, data in graph.edges(data=True):
            attrs = {"relation": data["relation"], "label": _dot_edge_label(data) or None,
                     **DOT_EDGE_STYLE[data["relation"]]}
            stream.write(f"  {dot_quote(source)} -> {dot_quote(target)} [{_dot_attrs(attrs)}];\n")
        stream.write("}\n")


def _dot_edge_label(data: dict) -> str:
    relation = data["relation"]
    if relation == "mounts":
        return f"{'ro' if data['read_only'] else 'rw'} {data.get('mount_path') or ''}".strip()
    if relation in ("runs-before", "gates"):
        return f"{relation} ({data.get('wait', '')})"
    if relation == "references":
        return data.get("via") or relation
    if relation in ("selects", "covers", "scales"):
        return f"{relation} ({_edge_note(data)})"
    return ""       # hook-of, probe-of: the shapes say it


# ----------------------------------------------------------------------------- mermaid

MERMAID_SHAPES = {
    "pod": ('[["', '"]]'),
    "container": ('["', '"]'),
    "hook": ('>"', '"]'),
    "probe": ('{{"', '"}}'),
    "volume": ('[("', '")]'),
    "external": ('[/"', '"/]'),
    "related": ('(["', '"])'),
}
MERMAID_ARROWS = {
    "runs-before": "==>", "gates": "-.->", "hook-of": "-.-", "probe-of": "-.-",
    "mounts": "-->", "references": "-.->", "selects": "-->", "covers": "-->", "scales": "-->",
}
MERMAID_CLASSES = {
    "init": "fill:#dfe8f7,stroke:#5b7db1",
    "sidecar": "fill:#e4f4e1,stroke:#5a9a4f",
    "main": "fill:#fdf1d6,stroke:#b98a1d",
    "undefined": "stroke:#d00,stroke-dasharray:4 2",
}
_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;",
                     "|": "#124;", "`": "#96;"}


def mermaid_text(text: Any) -> str:
    """Label text for a quoted Mermaid string: the characters that end the
    string, start an entity, an HTML tag or a markdown string become entity
    codes; control characters become spaces."""
    return "".join(_MERMAID_ENTITIES.get(c, c if c.isprintable() else " ") for c in str(text))


def render_mermaid(entries: list[Entry], stream: TextIO) -> None:
    """One `flowchart` with a subgraph per workload, so the whole output pastes
    into a single ```mermaid block (GitHub renders it)."""
    stream.write("flowchart LR\n")
    for key, style in MERMAID_CLASSES.items():
        stream.write(f"  classDef {key} {style}\n")
    for number, entry in enumerate(entries):
        graph = entry.graph
        ids = {node: f"w{number}n{index}" for index, node in enumerate(graph.nodes)}
        stream.write(f'  subgraph w{number}["{mermaid_text(_title(entry))}"]\n')
        stream.write("    direction LR\n")
        classes: dict[str, list[str]] = {}
        for node, data in graph.nodes(data=True):
            opening, closing = MERMAID_SHAPES[data["type"]]
            stream.write(f"    {ids[node]}{opening}{mermaid_text(data['label'])}{closing}\n")
            if data["type"] == "container":
                classes.setdefault(data["role"], []).append(ids[node])
            if data["type"] == "volume" and not data.get("defined", True):
                classes.setdefault("undefined", []).append(ids[node])
        for source, target, data in graph.edges(data=True):
            arrow = MERMAID_ARROWS[data["relation"]]
            label = _dot_edge_label(data)
            text = f'|"{mermaid_text(label)}"| ' if label else ""
            stream.write(f"    {ids[source]} {arrow}{text}{ids[target] if text else ' ' + ids[target]}\n")
        for key, members in classes.items():
            stream.write(f"    class {','.join(members)} {key}\n")
        stream.write("  end\n")


# ----------------------------------------------------------------------------- json

def graph_document(entries: list[Entry]) -> dict:
    """`{"podlint_version", "workloads": [{"kind", "name", "namespace", "path",
    "line", "graph": <networkx node-link data>}]}`"""
    import networkx as nx

    return {
        "podlint_version": __version__,
        "workloads": [{"kind": e.kind, "name": e.name, "namespace": e.namespace, "path": e.path,
                       "line": e.line, "graph": nx.node_link_data(e.graph, edges="edges")}
                      for e in entries],
    }


def render_json(entries: list[Entry], stream: TextIO) -> None:
    json.dump(graph_document(entries), stream, indent=2, ensure_ascii=True)
    stream.write("\n")


RENDERERS = {"text": render_text, "dot": render_dot, "mermaid": render_mermaid, "json": render_json}
