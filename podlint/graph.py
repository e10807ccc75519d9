"""The lifecycle dependency graph of one pod (design.md section 4).

Rules ask this graph questions ("who reads what this init container writes?",
"which containers must have started before this one?") instead of walking the
raw YAML again, and `podlint graph` prints it. The graph is a pure function of
the model's Pod: nothing here reads files or judges anything.

networkx costs about 117 ms to import (libraries.md 3.1), so only code that
really needs a graph imports this module: `Context.graph` (lazily, on a rule's
first use), `podlint graph` and `podlint explain`. Never import it from the
lint path's core modules.

Node ids are stable strings built from the manifest's names:

    pod                         the pod (its sandbox, its own references)
    container:NAME              every init container, sidecar and main container
    hook:NAME:postStart         lifecycle hooks (postStart, preStop)
    probe:NAME:startup          probes (startup, liveness, readiness)
    volume:NAME                 spec.volumes, StatefulSet volumeClaimTemplates, and
                                volumes that mounts name but nobody defines
    KIND:NAME                   external objects: ConfigMap, Secret,
                                PersistentVolumeClaim, ServiceAccount

Two containers (or volumes) with one name (PL503, PL506) get `#2`, `#3` ...
on the later ids, so every id is unique and the graph stays a DAG.

Edges carry `relation`:

    runs-before   start order: pod -> first container -> next ... ; `wait` says
                  what the target waits for: "sandbox", "completed" (a regular
                  init container exits 0), "started" (a sidecar or main container
                  is running and its postStart has returned, lifecycle-semantics
                  1.3, 1.4); a postStart hook -> the next container ("completed")
    gates         a startup probe -> its container's liveness and readiness probes;
                  a sidecar's startup probe -> the next container to start
                  (`wait` "succeeded")
    hook-of       hook -> container
    probe-of      probe -> container
    mounts        container -> volume, with `read_only`, `mount_path`,
                  `mount_paths`, `device` and the mount's location
    references    container/volume/pod -> external object, with `via` and `optional`
    selects       Service -> pod: a Service in the workload's application scope
                  whose selector matches its pod (`ports` it sends)
    covers        PodDisruptionBudget -> pod, with its `rule` and the evictions it
                  allows at full scale (`allowed`, None when the pod count is unknown)
    scales        HorizontalPodAutoscaler -> pod, with `min_replicas` and `max_replicas`

The last three come from other documents of the run (node type "related",
id `KIND:NAME`, with their file and line); `podlint graph` adds them once every
file is read (add_related).

Probes and hooks of a regular init container (rejected by the API, PL103) are
nodes with their `*-of` edge but gate and block nothing.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx

from podlint.model import (POD_SCOPED_VOLUME_TYPES, READ_ONLY_VOLUME_TYPES, Container, Handler,
                           Pod)
from podlint.workloads import item_position

if TYPE_CHECKING:
    from podlint.finding import Location

RUNS_BEFORE = "runs-before"
GATES = "gates"
HOOK_OF = "hook-of"
PROBE_OF = "probe-of"
MOUNTS = "mounts"
REFERENCES = "references"
SELECTS = "selects"
COVERS = "covers"
SCALES = "scales"
RELATIONS = (RUNS_BEFORE, GATES, HOOK_OF, PROBE_OF, MOUNTS, REFERENCES, SELECTS, COVERS, SCALES)
NODE_TYPES = ("pod", "container", "hook", "probe", "volume", "external", "related")
CLAIM_TEMPLATE = "volumeClaimTemplate"
LABEL_LIMIT = 60


# ----------------------------------------------------------------------------- building

def build_graph(pod: Pod) -> nx.DiGraph:
    """The lifecycle dependency graph of `pod`. Nodes and edges are added in a
    fixed order (pod; each container in start order with its hooks and probes;
    volumes; external objects by kind and name), so every output is stable."""
    graph = nx.DiGraph()
    workload = pod.workload
    graph.graph.update({"workload": workload.ref, "kind": workload.kind, "name": workload.name,
                        "namespace": workload.namespace})
    graph.add_node("pod", type="pod", kind=pod.kind, name=workload.name,
                   namespace=workload.namespace, restart_policy=pod.restart_policy,
                   termination_grace=pod.termination_grace, label=workload.ref,
                   **_where(pod.location))

    ordered = pod.init_containers + pod.containers
    ids = _unique_ids("container", [c.name for c in ordered])
    for order, (container, node) in enumerate(zip(ordered, ids)):
        _add_container(graph, node, container, order)

    volume_ids, spec_volume_ids = _add_volumes(graph, pod, ordered)
    _add_start_order(graph, ordered, ids)
    for container, node in zip(ordered, ids):
        _add_mounts(graph, node, container, volume_ids)
    _add_references(graph, pod, ordered, ids, spec_volume_ids)
    return graph


def _where(location: "Location | None") -> dict[str, Any]:
    if location is None:
        return {}
    return {"path": location.path, "line": location.line, "column": location.column}


def _unique_ids(prefix: str, names: Iterable[str]) -> list[str]:
    """`prefix:name`, with `#2`, `#3` ... appended to repeats (duplicate names)."""
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        base = f"{prefix}:{name}"
        node, number = base, 1
        while node in taken:
            number += 1
            node = f"{base}#{number}"
        taken.add(node)
        out.append(node)
    return out


def _fresh(graph: nx.DiGraph, base: str) -> str:
    """`base`, or `base#2`, `base#3` ... if a node already has that id."""
    node, number = base, 1
    while node in graph:
        number += 1
        node = f"{base}#{number}"
    return node


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_handler(handler: Handler) -> str:
    """A one-line summary of a probe or hook action: `httpGet :8080/healthz`."""
    action = handler.action
    if action == "exec":
        command = " ".join(handler.command) if handler.command else "(no command)"
        return _short(f"exec {command}")
    if action == "httpGet":
        scheme = "https " if (handler.scheme or "").upper() == "HTTPS" else ""
        port = "" if handler.port is None else handler.port
        return _short(f"httpGet {scheme}:{port}{handler.path or '/'}")
    if action in ("tcpSocket", "grpc"):
        port = "" if handler.port is None else handler.port
        service = f" {handler.service}" if handler.service else ""
        return _short(f"{action} :{port}{service}")
    if action == "sleep":
        seconds = "?" if handler.sleep_seconds is None else handler.sleep_seconds
        return f"sleep {seconds}s"
    return "no handler"


def _add_container(graph: nx.DiGraph, node: str, container: Container, order: int) -> None:
    graph.add_node(node, type="container", name=container.name, role=container.role,
                   order=order, index=container.index,
                   list="initContainers" if container.role != "main" else "containers",
                   image=container.image, label=f"{container.name} ({container.role})",
                   **_where(container.location))
    suffix = node.split(":", 1)[1]
    for hook in container.hooks:
        hook_id = f"hook:{suffix}:{hook.kind}"
        graph.add_node(hook_id, type="hook", kind=hook.kind, container=node,
                       action=hook.handler.action,
                       label=f"{hook.kind}: {describe_handler(hook.handler)}", **_where(hook.location))
        graph.add_edge(hook_id, node, relation=HOOK_OF)
    for probe in container.probes:
        probe_id = f"probe:{suffix}:{probe.kind}"
        graph.add_node(probe_id, type="probe", kind=probe.kind, container=node,
                       action=probe.handler.action, initial_delay=probe.initial_delay,
                       period=probe.period, timeout=probe.timeout,
                       success_threshold=probe.success_threshold,
                       failure_threshold=probe.failure_threshold,
                       label=f"{probe.kind}: {describe_handler(probe.handler)}",
                       **_where(probe.location))
        graph.add_edge(probe_id, node, relation=PROBE_OF)
    if container.role != "init" and container.startup_probe is not None:
        startup = f"probe:{suffix}:startup"
        for gated in (container.liveness_probe, container.readiness_probe):
            if gated is not None:
                graph.add_edge(startup, f"probe:{suffix}:{gated.kind}", relation=GATES,
                               wait="succeeded")


def _add_start_order(graph: nx.DiGraph, ordered: tuple[Container, ...], ids: list[str]) -> None:
    """One chain in start order (lifecycle-semantics 1.2-1.4): every container
    waits for the one before it, so it waits for all of them."""
    if ids:
        graph.add_edge("pod", ids[0], relation=RUNS_BEFORE, wait="sandbox")
    for (before, before_id), after_id in zip(zip(ordered, ids), ids[1:]):
        graph.add_edge(before_id, after_id, relation=RUNS_BEFORE,
                       wait="completed" if before.role == "init" else "started")
        suffix = before_id.split(":", 1)[1]
        if before.role != "init" and before.post_start is not None:
            graph.add_edge(f"hook:{suffix}:postStart", after_id, relation=RUNS_BEFORE,
                           wait="completed")
        if before.role == "sidecar" and before.startup_probe is not None:
            graph.add_edge(f"probe:{suffix}:startup", after_id, relation=GATES, wait="succeeded")


def _add_volumes(graph: nx.DiGraph, pod: Pod,
                 ordered: tuple[Container, ...]) -> tuple[dict[str, str], list[str]]:
    """Volume nodes. Returns name -> node id of the first volume of each name
    (the one the kubelet would mount), and the node ids of spec.volumes in order."""
    names = [v.name if v.name is not None else f"<volumes[{i}]>" for i, v in enumerate(pod.volumes)]
    spec_ids = _unique_ids("volume", names)
    by_name: dict[str, str] = {}
    for volume, name, node in zip(pod.volumes, names, spec_ids):
        graph.add_node(node, type="volume", name=name, volume_type=volume.type, defined=True,
                       label=f"{name} ({volume.type or 'unknown type'})", **_where(volume.location))
        if volume.name is not None:
            by_name.setdefault(volume.name, node)
    for name, location in _claim_templates(pod):
        if name in by_name:
            continue        # the controller replaces a pod volume of the same name (PL506)
        node = _fresh(graph, f"volume:{name}")
        graph.add_node(node, type="volume", name=name, volume_type=CLAIM_TEMPLATE, defined=True,
                       label=f"{name} ({CLAIM_TEMPLATE})", **_where(location))
        by_name[name] = node
    for container in ordered:
        for mount in container.volume_mounts:
            if mount.name is None or mount.name in by_name:
                continue
            node = _fresh(graph, f"volume:{mount.name}")
            graph.add_node(node, type="volume", name=mount.name, volume_type=None, defined=False,
                           label=f"{mount.name} (not defined)",
                           **_where(mount.where("name", value=True)))
            by_name[mount.name] = node
    return by_name, spec_ids


def _claim_templates(pod: Pod) -> list[tuple[str, "Location"]]:
    """StatefulSet volumeClaimTemplates: a PVC per replica, mounted like a volume."""
    workload = pod.workload
    if workload.kind != "StatefulSet" or not isinstance(workload.obj, dict):
        return []
    spec = workload.obj.get("spec")
    templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
    if not isinstance(templates, list):
        return []
    out = []
    for index, template in enumerate(templates):
        metadata = template.get("metadata") if isinstance(template, dict) else None
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if isinstance(name, str) and name:
            out.append((name, item_position(templates, index, workload.path, workload.location)))
    return out


def _add_mounts(graph: nx.DiGraph, node: str, container: Container,
                volume_ids: dict[str, str]) -> None:
    """One `mounts` edge per (container, volume); several mounts of one volume
    (subPaths, devices) are merged: read-only only if every one is."""
    for mount in container.volume_mounts:
        volume = volume_ids.get(mount.name) if mount.name is not None else None
        if volume is None:
            continue
        inherently_read_only = graph.nodes[volume].get("volume_type") in READ_ONLY_VOLUME_TYPES
        read_only = mount.read_only or inherently_read_only
        path = mount.mount_path
        if graph.has_edge(node, volume):
            data = graph.edges[node, volume]
            data["read_only"] = data["read_only"] and read_only
            data["mount_paths"].append(path)
            continue
        graph.add_edge(node, volume, relation=MOUNTS, read_only=read_only, mount_path=path,
                       mount_paths=[path], sub_path=mount.sub_path, device=mount.device,
                       **_where(mount.location))


def _add_references(graph: nx.DiGraph, pod: Pod, ordered: tuple[Container, ...],
                    ids: list[str], spec_volume_ids: list[str]) -> None:
    """External objects as nodes sorted by (kind, name), then `references` edges
    in the order they appear in the file (a stable sort keeps the model's order
    for references at one position)."""
    sources: list[tuple[str, Any]] = [("pod", r) for r in pod.references]
    for container, node in zip(ordered, ids):
        sources.extend((node, r) for r in container.references)
    for volume, node in zip(pod.volumes, spec_volume_ids):
        sources.extend((node, r) for r in volume.references)
    # Earliest reference in the file first, so that locations are the first mention.
    sources.sort(key=lambda item: (item[1].location.line, item[1].location.column))
    first: dict[str, Any] = {}
    optional: dict[str, bool] = {}
    for _, ref in sources:
        node = f"{ref.kind}:{ref.name}"
        first.setdefault(node, ref)
        optional[node] = optional.get(node, True) and ref.optional
    for node in sorted(first, key=lambda n: (first[n].kind, first[n].name)):
        ref = first[node]
        graph.add_node(node, type="external", kind=ref.kind, name=ref.name, optional=optional[node],
                       label=f"{ref.kind} {ref.name}", **_where(ref.location))
    for source, ref in sources:
        target = f"{ref.kind}:{ref.name}"
        if graph.has_edge(source, target):
            data = graph.edges[source, target]
            if ref.via and ref.via not in data["via"]:
                data["via"] = f"{data['via']}, {ref.via}" if data["via"] else ref.via
            data["optional"] = data["optional"] and ref.optional
            continue
        graph.add_edge(source, target, relation=REFERENCES, via=ref.via, optional=ref.optional,
                       **_where(ref.location))


def add_related(graph: nx.DiGraph, services=(), budgets=(), autoscalers=()) -> None:
    """The Services, PodDisruptionBudgets and HorizontalPodAutoscalers acting on
    the pod, as `related` nodes with an edge to the pod (podlint.crossfile and
    podlint.disruption facts, already scoped to the workload)."""
    def node(kind: str, name, place) -> str:
        base = f"{kind}:{name or '<unnamed>'}"
        ident = base if not graph.has_node(base) else _fresh(graph, base)
        graph.add_node(ident, type="related", kind=kind, name=name, label=f"{kind} {name}",
                       path=place.path, line=place.line)
        return ident

    for service in services:
        ports = ", ".join(f"{p.port}->{p.target}" for p in service.ports)
        graph.add_edge(node("Service", service.name, service.place), "pod", relation=SELECTS, ports=ports)
    for covered in budgets:
        budget = covered.budget
        graph.add_edge(node("PodDisruptionBudget", budget.name, budget.place), "pod", relation=COVERS,
                       rule=budget.rule_text(), allowed=covered.allowed)
    for scaler in autoscalers:
        graph.add_edge(node("HorizontalPodAutoscaler", scaler.name, scaler.place), "pod", relation=SCALES,
                       min_replicas=scaler.min_replicas, max_replicas=scaler.max_replicas)


# ----------------------------------------------------------------------------- queries

def container_node(graph: nx.DiGraph, container: "str | Container") -> str:
    """The node id of a container given as a model Container, a node id
    (`container:app`) or a name (`app`; the first of that name). KeyError if none."""
    if isinstance(container, Container):
        wanted = ("containers" if container.role == "main" else "initContainers", container.index)
        for node, data in graph.nodes(data=True):
            if data["type"] == "container" and (data["list"], data["index"]) == wanted:
                return node
        raise KeyError(container.name)
    if container in graph and graph.nodes[container]["type"] == "container":
        return container
    for node, data in graph.nodes(data=True):
        if data["type"] == "container" and data["name"] == container:
            return node
    raise KeyError(container)


def startup_order(graph: nx.DiGraph) -> list[str]:
    """Every container node in the order the kubelet starts them."""
    return sorted((n for n, d in graph.nodes(data=True) if d["type"] == "container"),
                  key=lambda n: graph.nodes[n]["order"])


def _start_edges(graph: nx.DiGraph) -> nx.DiGraph:
    return graph.edge_subgraph((u, v) for u, v, r in graph.edges(data="relation")
                               if r in (RUNS_BEFORE, GATES))


def _containers_in_order(graph: nx.DiGraph, nodes: Iterable[str]) -> list[str]:
    return sorted((n for n in nodes if graph.nodes[n]["type"] == "container"),
                  key=lambda n: graph.nodes[n]["order"])


def waits_for(graph: nx.DiGraph, container: "str | Container") -> list[str]:
    """Containers that must have started (sidecars, main containers) or completed
    (regular init containers) before this one can start, in start order."""
    node = container_node(graph, container)
    start = _start_edges(graph)
    if node not in start:
        return []
    return _containers_in_order(graph, nx.ancestors(start, node))


def blocked_by(graph: nx.DiGraph, node: "str | Container") -> list[str]:
    """Containers whose start waits for `node` (a container, a postStart hook or a
    sidecar's startup probe), in start order: what a slow hook or a sidecar that
    never becomes ready holds up (PL102, PL104)."""
    if isinstance(node, Container) or (node not in graph):
        node = container_node(graph, node)
    start = _start_edges(graph)
    if node not in start:
        return []
    return _containers_in_order(graph, nx.descendants(start, node))


def start_conditions(graph: nx.DiGraph, container: "str | Container") -> list[tuple[str, str]]:
    """The direct conditions of a container's start: (node, wait) pairs such as
    ("container:migrate", "completed"), ("hook:proxy:postStart", "completed"),
    ("probe:proxy:startup", "succeeded")."""
    node = container_node(graph, container)
    return [(source, data.get("wait", "")) for source, _, data in graph.in_edges(node, data=True)
            if data["relation"] in (RUNS_BEFORE, GATES)]


def mounters(graph: nx.DiGraph, volume: str, writable: bool | None = None) -> list[str]:
    """Containers mounting `volume` (a node id or a volume name), in start order;
    `writable=True` only read-write mounts, `False` only read-only ones."""
    if volume not in graph and f"volume:{volume}" in graph:
        volume = f"volume:{volume}"
    if volume not in graph:
        return []
    return _containers_in_order(graph, (
        source for source, _, data in graph.in_edges(volume, data=True)
        if data["relation"] == MOUNTS and (writable is None or data["read_only"] != writable)))


def mounted_volumes(graph: nx.DiGraph, container: "str | Container",
                    writable: bool | None = None) -> list[str]:
    """Volumes a container mounts (optionally only read-write or read-only ones)."""
    node = container_node(graph, container)
    return [target for _, target, data in graph.out_edges(node, data=True)
            if data["relation"] == MOUNTS and (writable is None or data["read_only"] != writable)]


def _runs_with_or_after(graph: nx.DiGraph, node: str) -> list[str]:
    """Containers that can see what `node` leaves in a pod volume: every container
    started after it, and the sidecars started before it (they keep running)."""
    order = graph.nodes[node]["order"]
    return [other for other in startup_order(graph)
            if other != node and (graph.nodes[other]["order"] > order
                                  or graph.nodes[other]["role"] == "sidecar")]


def init_outputs(graph: nx.DiGraph, init_container: "str | Container") -> list[str]:
    """Pod-scoped volumes (emptyDir, ephemeral) that a container mounts read-write:
    where an init container can leave data for the containers after it."""
    return [volume for volume in mounted_volumes(graph, init_container, writable=True)
            if graph.nodes[volume].get("volume_type") in POD_SCOPED_VOLUME_TYPES]


def readers_of_init_output(graph: nx.DiGraph, init_container: "str | Container") -> list[str]:
    """Containers that mount (read-only or read-write) a pod-scoped volume this
    container mounts read-write, and that run after it or alongside it (later
    containers, and sidecars already running), in start order. The question
    behind PL101."""
    node = container_node(graph, init_container)
    outputs = set(init_outputs(graph, node))
    return [other for other in _runs_with_or_after(graph, node)
            if outputs.intersection(mounted_volumes(graph, other))]


def unread_init_outputs(graph: nx.DiGraph, init_container: "str | Container") -> list[str]:
    """Pod-scoped volumes this container writes that no container after or
    alongside it mounts: one PL101 finding each."""
    node = container_node(graph, init_container)
    readers = _runs_with_or_after(graph, node)
    return [volume for volume in init_outputs(graph, node)
            if not set(mounters(graph, volume)).intersection(readers)]


def unmounted_volumes(graph: nx.DiGraph) -> list[str]:
    """Volumes of spec.volumes that no container mounts (PL502), in spec order.
    A mount by an init container counts. Claim templates are not included."""
    return [node for node, data in graph.nodes(data=True)
            if data["type"] == "volume" and data["defined"]
            and data["volume_type"] != CLAIM_TEMPLATE
            and not any(d["relation"] == MOUNTS for _, _, d in graph.in_edges(node, data=True))]


def undefined_volumes(graph: nx.DiGraph) -> list[str]:
    """Volumes that some container mounts but the pod does not define (PL501)."""
    return [node for node, data in graph.nodes(data=True)
            if data["type"] == "volume" and not data["defined"]]


def external_objects(graph: nx.DiGraph, kind: str | None = None) -> list[str]:
    """External object nodes (optionally of one kind), sorted by kind and name."""
    return [node for node, data in graph.nodes(data=True)
            if data["type"] == "external" and (kind is None or data["kind"] == kind)]


def referrers(graph: nx.DiGraph, external: str) -> list[str]:
    """The pod, containers and volumes that reference an external object node."""
    if external not in graph:
        return []
    return [source for source, _, data in graph.in_edges(external, data=True)
            if data["relation"] == REFERENCES]


def containers_needing(graph: nx.DiGraph, external: str) -> list[str]:
    """Containers that cannot start without an external object: those referencing
    it in env/envFrom, and, because the kubelet mounts every volume before any
    container starts, all containers when a volume or the pod references it."""
    sources = referrers(graph, external)
    if any(graph.nodes[s]["type"] in ("pod", "volume") for s in sources):
        return startup_order(graph)
    return _containers_in_order(graph, sources)
