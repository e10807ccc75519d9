"""The lifecycle dependency graph (podlint.graph) and `podlint graph`.

Fixtures are small realistic manifests under tests/fixtures/graph/. DOT output
is checked with a real DOT parser (pydot); Mermaid output with a structural
checker of the subset of flowchart syntax podlint emits.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pydot
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from ruamel.yaml import YAML

from podlint.cli import cli
from podlint.graph import (blocked_by, build_graph, container_node, containers_needing,
                           external_objects, init_outputs, mounted_volumes, mounters,
                           readers_of_init_output, referrers, start_conditions, startup_order,
                           undefined_volumes, unmounted_volumes, unread_init_outputs, waits_for)
from podlint.graph_cli import dot_quote, mermaid_text
from podlint.loader import LoadedFile, parse_text
from podlint.model import build_pod
from podlint.workloads import ModelError, extract_workload

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "graph"
REL = "tests/fixtures/graph"


def pods_of(text: str, path: str = "example.yaml"):
    loaded = parse_text(text, LoadedFile(path))
    out = []
    for document in loaded.documents:
        workload = extract_workload(document)
        if workload is not None:
            out.append(build_pod(workload))
    return out


def graph_of(name: str):
    text = (FIXTURES / name).read_text()
    (pod,) = pods_of(text, f"{REL}/{name}")
    return pod, build_graph(pod)


def edges(graph, relation=None):
    return [(u, v, d.get("wait")) if d["relation"] in ("runs-before", "gates") else (u, v)
            for u, v, d in graph.edges(data=True) if relation is None or d["relation"] == relation]


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["graph", *args], input=input)


# ----------------------------------------------------------------------------- startup order

def test_startup_nodes_in_order_with_types_roles_and_positions():
    _, graph = graph_of("startup.yaml")
    assert list(graph.nodes) == [
        "pod",
        "container:migrate",
        "container:proxy", "hook:proxy:postStart", "probe:proxy:startup",
        "container:warm-cache",
        "container:app", "hook:app:postStart", "hook:app:preStop",
        "probe:app:startup", "probe:app:liveness", "probe:app:readiness",
        "container:worker", "hook:worker:postStart", "probe:worker:liveness",
    ]
    containers = {n: (d["role"], d["order"], d["line"], d["column"])
                  for n, d in graph.nodes(data=True) if d["type"] == "container"}
    assert containers == {
        "container:migrate": ("init", 0, 17, 11),
        "container:proxy": ("sidecar", 1, 20, 11),
        "container:warm-cache": ("init", 2, 32, 11),
        "container:app": ("main", 3, 35, 11),
        "container:worker": ("main", 4, 52, 11),
    }
    hook = graph.nodes["hook:app:postStart"]
    assert (hook["type"], hook["kind"], hook["container"], hook["action"], hook["line"],
            hook["column"], hook["label"]) == (
        "hook", "postStart", "container:app", "sleep", 40, 13, "postStart: sleep 5s")
    probe = graph.nodes["probe:proxy:startup"]
    assert (probe["type"], probe["kind"], probe["period"], probe["failure_threshold"],
            probe["line"], probe["column"], probe["path"]) == (
        "probe", "startup", 2, 30, 28, 11, f"{REL}/startup.yaml")
    pod = graph.nodes["pod"]
    assert (pod["type"], pod["kind"], pod["name"], pod["namespace"]) == (
        "pod", "Deployment", "shop", "web")
    assert graph.graph == {"workload": "Deployment/shop", "kind": "Deployment", "name": "shop",
                           "namespace": "web"}


def test_startup_edges():
    _, graph = graph_of("startup.yaml")
    assert edges(graph, "runs-before") == [
        ("pod", "container:migrate", "sandbox"),
        ("container:migrate", "container:proxy", "completed"),
        ("container:proxy", "container:warm-cache", "started"),
        ("hook:proxy:postStart", "container:warm-cache", "completed"),
        ("container:warm-cache", "container:app", "completed"),
        ("container:app", "container:worker", "started"),
        ("hook:app:postStart", "container:worker", "completed"),
    ]
    assert edges(graph, "gates") == [
        ("probe:proxy:startup", "container:warm-cache", "succeeded"),
        ("probe:app:startup", "probe:app:liveness", "succeeded"),
        ("probe:app:startup", "probe:app:readiness", "succeeded"),
    ]
    assert edges(graph, "hook-of") == [
        ("hook:proxy:postStart", "container:proxy"), ("hook:app:postStart", "container:app"),
        ("hook:app:preStop", "container:app"), ("hook:worker:postStart", "container:worker"),
    ]
    assert len(edges(graph, "probe-of")) == 5
    assert nx.is_directed_acyclic_graph(graph)


def test_waits_for_and_blocked_by():
    pod, graph = graph_of("startup.yaml")
    assert waits_for(graph, "migrate") == []
    assert waits_for(graph, "warm-cache") == ["container:migrate", "container:proxy"]
    assert waits_for(graph, "container:worker") == [
        "container:migrate", "container:proxy", "container:warm-cache", "container:app"]
    assert waits_for(graph, pod.containers[0]) == [
        "container:migrate", "container:proxy", "container:warm-cache"]
    assert blocked_by(graph, "hook:app:postStart") == ["container:worker"]
    assert blocked_by(graph, "probe:proxy:startup") == [
        "container:warm-cache", "container:app", "container:worker"]
    assert blocked_by(graph, "worker") == []
    assert blocked_by(graph, "hook:app:preStop") == []
    assert start_conditions(graph, "warm-cache") == [
        ("container:proxy", "started"), ("hook:proxy:postStart", "completed"),
        ("probe:proxy:startup", "succeeded")]
    assert startup_order(graph) == ["container:migrate", "container:proxy",
                                    "container:warm-cache", "container:app", "container:worker"]


def test_container_node_resolution():
    pod, graph = graph_of("startup.yaml")
    assert container_node(graph, "app") == "container:app"
    assert container_node(graph, "container:app") == "container:app"
    assert container_node(graph, pod.init_containers[1]) == "container:proxy"
    with pytest.raises(KeyError):
        container_node(graph, "nope")
    with pytest.raises(KeyError):
        container_node(graph, "probe:app:startup")


def test_sidecar_without_startup_probe_and_last_in_init_gates_nothing_but_its_start():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - name: logs
      image: fluent/fluent-bit:3.1
      restartPolicy: Always
      lifecycle:
        postStart: {exec: {command: [sleep, "2"]}}
  containers:
    - name: app
      image: nginx:1.27
"""
    (pod,) = pods_of(text)
    graph = build_graph(pod)
    assert edges(graph, "runs-before") == [
        ("pod", "container:logs", "sandbox"),
        ("container:logs", "container:app", "started"),
        ("hook:logs:postStart", "container:app", "completed"),
    ]
    assert edges(graph, "gates") == []


def test_probes_and_hooks_of_regular_init_containers_gate_nothing():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - name: setup
      image: busybox:1.36
      lifecycle:
        postStart: {exec: {command: ["true"]}}
      startupProbe: {exec: {command: ["true"]}}
      livenessProbe: {exec: {command: ["true"]}}
  containers:
    - name: app
      image: nginx:1.27
"""
    (pod,) = pods_of(text)
    graph = build_graph(pod)
    assert edges(graph, "gates") == []
    assert edges(graph, "runs-before") == [("pod", "container:setup", "sandbox"),
                                           ("container:setup", "container:app", "completed")]
    assert edges(graph, "probe-of") == [("probe:setup:startup", "container:setup"),
                                        ("probe:setup:liveness", "container:setup")]


def test_duplicate_names_get_unique_ids_and_the_graph_stays_acyclic():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - name: app
      image: busybox:1.36
  containers:
    - name: app
      image: nginx:1.27
      lifecycle:
        postStart: {exec: {command: ["true"]}}
      volumeMounts: [{name: data, mountPath: /a}]
    - name: app
      image: nginx:1.27
  volumes:
    - {name: data, emptyDir: {}}
    - {name: data, hostPath: {path: /x}}
"""
    (pod,) = pods_of(text)
    graph = build_graph(pod)
    assert startup_order(graph) == ["container:app", "container:app#2", "container:app#3"]
    assert "hook:app#2:postStart" in graph
    assert [n for n, d in graph.nodes(data=True) if d["type"] == "volume"] == [
        "volume:data", "volume:data#2"]
    assert edges(graph, "mounts") == [("container:app#2", "volume:data")]
    assert unmounted_volumes(graph) == ["volume:data#2"]
    assert waits_for(graph, pod.containers[1]) == ["container:app", "container:app#2"]
    assert nx.is_directed_acyclic_graph(graph)


def test_empty_pod_has_only_the_pod_node():
    (pod,) = pods_of("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n")
    graph = build_graph(pod)
    assert list(graph.nodes) == ["pod"] and graph.number_of_edges() == 0
    assert startup_order(graph) == [] and unmounted_volumes(graph) == []


# ----------------------------------------------------------------------------- volumes

def test_volume_nodes_and_types():
    _, graph = graph_of("volumes.yaml")
    volumes = [(n, d["volume_type"], d["defined"], d["line"], d["column"])
               for n, d in graph.nodes(data=True) if d["type"] == "volume"]
    assert volumes == [
        ("volume:work", "emptyDir", True, 35, 7),
        ("volume:scratch", "emptyDir", True, 37, 7),
        ("volume:tmp", "ephemeral", True, 39, 7),
        ("volume:config", "configMap", True, 45, 7),
        ("volume:creds", "secret", True, 47, 7),
        ("volume:results", "persistentVolumeClaim", True, 49, 7),
        ("volume:node-logs", "hostPath", True, 51, 7),
        ("volume:bundle", "projected", True, 53, 7),
        ("volume:vault", "csi", True, 62, 7),
        ("volume:leftover", "emptyDir", True, 67, 7),
        ("volume:cache", None, False, 32, 18),        # mounted, never defined
    ]


def test_mount_edges_merge_and_carry_mode_path_and_position():
    _, graph = graph_of("volumes.yaml")
    mount = graph.edges["container:render", "volume:work"]
    # one read-only mount and one read-write subPath mount: read-write wins
    assert (mount["relation"], mount["read_only"], mount["mount_path"], mount["mount_paths"],
            mount["line"], mount["column"]) == (
        "mounts", False, "/data", ["/data", "/data-copy"], 26, 11)
    # configMap, secret, projected and csi are read-only whatever the mount says
    assert graph.edges["container:fetch", "volume:config"]["read_only"] is True
    assert graph.edges["container:render", "volume:creds"]["read_only"] is True
    assert graph.edges["container:render", "volume:bundle"]["read_only"] is True
    assert graph.edges["container:unpack", "volume:work"]["read_only"] is True
    assert graph.edges["container:render", "volume:results"]["read_only"] is False
    assert mounted_volumes(graph, "fetch") == ["volume:work", "volume:scratch", "volume:config"]
    assert mounted_volumes(graph, "fetch", writable=True) == ["volume:work", "volume:scratch"]
    assert mounters(graph, "work") == ["container:fetch", "container:unpack", "container:render"]
    assert mounters(graph, "volume:work", writable=False) == ["container:unpack"]
    assert mounters(graph, "nope") == []


def test_init_output_queries():
    _, graph = graph_of("volumes.yaml")
    assert init_outputs(graph, "fetch") == ["volume:work", "volume:scratch"]
    assert readers_of_init_output(graph, "fetch") == ["container:unpack", "container:render"]
    assert unread_init_outputs(graph, "fetch") == ["volume:scratch"]
    assert init_outputs(graph, "unpack") == ["volume:tmp"]          # ephemeral is pod-scoped
    assert readers_of_init_output(graph, "unpack") == []
    assert unread_init_outputs(graph, "unpack") == ["volume:tmp"]


def test_sidecar_started_earlier_reads_a_later_init_containers_output():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - name: early
      image: busybox:1.36
      volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]
    - name: shipper
      image: fluent/fluent-bit:3.1
      restartPolicy: Always
      volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]
    - name: bootstrap
      image: busybox:1.36
      volumeMounts: [{name: logs, mountPath: /logs}]
  containers:
    - name: app
      image: nginx:1.27
  volumes:
    - {name: logs, emptyDir: {}}
"""
    (pod,) = pods_of(text)
    graph = build_graph(pod)
    # the regular init container before it has exited: not a reader
    assert readers_of_init_output(graph, "bootstrap") == ["container:shipper"]
    assert unread_init_outputs(graph, "bootstrap") == []
    assert init_outputs(graph, "early") == []


def test_unmounted_and_undefined_volumes():
    _, graph = graph_of("volumes.yaml")
    assert unmounted_volumes(graph) == ["volume:leftover"]
    assert undefined_volumes(graph) == ["volume:cache"]


def test_statefulset_claim_templates_are_volumes():
    text = (FIXTURES / "multi.yaml").read_text()
    statefulset = pods_of(text)[1]
    graph = build_graph(statefulset)
    volume = graph.nodes["volume:data"]
    assert (volume["volume_type"], volume["defined"], volume["line"], volume["column"]) == (
        "volumeClaimTemplate", True, 48, 7)
    assert unmounted_volumes(graph) == [] and undefined_volumes(graph) == []


# ----------------------------------------------------------------------------- references

def test_reference_nodes_and_edges():
    _, graph = graph_of("references.yaml")
    assert external_objects(graph) == [
        "ConfigMap:ca-bundle", "ConfigMap:sync-settings", "Secret:db-credentials",
        "Secret:registry-creds", "Secret:sync-tokens", "ServiceAccount:sync-bot"]
    assert external_objects(graph, "ConfigMap") == ["ConfigMap:ca-bundle", "ConfigMap:sync-settings"]
    settings_node = graph.nodes["ConfigMap:sync-settings"]
    assert (settings_node["type"], settings_node["kind"], settings_node["name"],
            settings_node["optional"], settings_node["line"], settings_node["column"]) == (
        "external", "ConfigMap", "sync-settings", False, 22, 19)    # envFrom comes first
    assert graph.nodes["Secret:sync-tokens"]["optional"] is True
    refs = {(u, v): (d["via"], d["optional"], d["line"], d["column"])
            for u, v, d in graph.edges(data=True) if d["relation"] == "references"}
    assert refs == {
        ("pod", "ServiceAccount:sync-bot"): ("serviceAccountName", False, 15, 31),
        ("pod", "Secret:registry-creds"): ("imagePullSecrets", False, 17, 15),
        ("container:sync", "ConfigMap:sync-settings"): ("envFrom, env REGION", False, 22, 19),
        ("container:sync", "Secret:sync-tokens"): ("envFrom", True, 23, 19),
        ("container:sync", "Secret:db-credentials"): ("env DB_PASSWORD, env DB_USER", False, 25, 19),
        ("volume:certs", "Secret:db-credentials"): ("volume certs", False, 40, 15),
        ("volume:certs", "ConfigMap:ca-bundle"): ("volume certs", False, 40, 15),
    }
    assert referrers(graph, "Secret:db-credentials") == ["container:sync", "volume:certs"]
    assert referrers(graph, "Secret:nope") == []


def test_volume_references_include_projected_sources_and_plugin_secrets():
    _, graph = graph_of("volumes.yaml")
    assert external_objects(graph) == [
        "ConfigMap:ca-bundle", "ConfigMap:report-config", "PersistentVolumeClaim:report-results",
        "Secret:client-cert", "Secret:report-creds", "Secret:vault-creds"]
    assert edges(graph, "references") == [
        ("volume:config", "ConfigMap:report-config"), ("volume:creds", "Secret:report-creds"),
        ("volume:results", "PersistentVolumeClaim:report-results"),
        ("volume:bundle", "ConfigMap:ca-bundle"), ("volume:bundle", "Secret:client-cert"),
        ("volume:vault", "Secret:vault-creds")]
    assert graph.nodes["Secret:client-cert"]["optional"] is True
    # every volume is mounted before any container starts
    assert containers_needing(graph, "Secret:vault-creds") == [
        "container:fetch", "container:unpack", "container:render"]


def test_env_reference_blocks_only_its_container():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: nginx:1.27
    - name: b
      image: nginx:1.27
      envFrom: [{secretRef: {name: s}}]
"""
    (pod,) = pods_of(text)
    assert containers_needing(build_graph(pod), "Secret:s") == ["container:b"]


# ----------------------------------------------------------------------------- robustness

def test_wrong_types_never_crash():
    text = (FIXTURES / "wrong-types.yaml").read_text()
    loaded = parse_text(text, LoadedFile("w.yaml"))
    workload = extract_workload(loaded.documents[0])
    graph = build_graph(build_pod(workload))
    assert startup_order(graph) == ["container:7", "container:app"]
    assert [n for n, d in graph.nodes(data=True) if d["type"] == "volume"] == [
        "volume:data", "volume:<volumes[1]>", "volume:<volumes[2]>", "volume:data#2"]
    assert graph.edges["container:7", "volume:data"]["mount_paths"] == [None]
    assert graph.nodes["hook:app:preStop"]["label"] == "preStop: sleep ?s"
    assert graph.nodes["hook:app:postStart"]["label"] == "postStart: exec (no command)"
    assert graph.nodes["probe:app:liveness"]["label"] == "liveness: no handler"
    assert external_objects(graph) == []
    with pytest.raises(ModelError):
        build_pod(extract_workload(loaded.documents[1]))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                    st.text(max_size=12), st.floats(allow_nan=False, allow_infinity=False))
NAMES = st.one_of(st.sampled_from(["app", "data", "x", 'q"\\', "end", "a:b"]), SCALARS)


def _values(children):
    return st.one_of(SCALARS, st.lists(children, max_size=3),
                     st.dictionaries(st.sampled_from(["name", "emptyDir", "configMap", "secret",
                                                      "path", "port", "command", "seconds"]),
                                     children, max_size=3))


ANY = st.recursive(SCALARS, _values, max_leaves=8)
MOUNT = st.fixed_dictionaries({"name": NAMES}, optional={"mountPath": ANY, "readOnly": ANY})
HANDLER = st.one_of(st.fixed_dictionaries({"exec": st.fixed_dictionaries({"command": ANY})}),
                    st.fixed_dictionaries({"httpGet": st.fixed_dictionaries({"port": ANY})}),
                    st.fixed_dictionaries({"sleep": st.fixed_dictionaries({"seconds": ANY})}), ANY)
CONTAINER = st.fixed_dictionaries({"name": NAMES}, optional={
    "restartPolicy": st.sampled_from(["Always", None, 3]),
    "volumeMounts": st.lists(MOUNT, max_size=3),
    "startupProbe": HANDLER, "livenessProbe": HANDLER, "readinessProbe": HANDLER,
    "lifecycle": st.fixed_dictionaries({}, optional={"postStart": HANDLER, "preStop": HANDLER}),
    "env": ANY, "envFrom": st.lists(st.fixed_dictionaries({"configMapRef": ANY}), max_size=2),
})
VOLUME = st.fixed_dictionaries({"name": NAMES}, optional={
    "emptyDir": ANY, "configMap": st.fixed_dictionaries({"name": NAMES}),
    "projected": st.fixed_dictionaries({"sources": ANY}), "csi": ANY})
SPEC = st.fixed_dictionaries({}, optional={
    "initContainers": st.lists(CONTAINER, max_size=3), "containers": st.lists(CONTAINER, max_size=3),
    "volumes": st.lists(VOLUME, max_size=3), "serviceAccountName": NAMES,
    "imagePullSecrets": ANY})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SPEC)
def test_any_pod_spec_gives_a_dag_and_valid_output_in_every_format(spec):
    import io

    from podlint.graph_cli import Entry, RENDERERS

    stream = io.StringIO()
    YAML().dump({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "fuzz"}, "spec": spec},
                stream)
    try:
        (pod,) = pods_of(stream.getvalue())
    except ModelError:
        return
    graph = build_graph(pod)
    assert nx.is_directed_acyclic_graph(graph)
    for node in startup_order(graph):
        waits_for(graph, node)
        readers_of_init_output(graph, node)
        unread_init_outputs(graph, node)
    unmounted_volumes(graph)
    entry = Entry("Pod", "fuzz", None, "fuzz.yaml", 1, 1, graph)
    outputs = {}
    for fmt, render in RENDERERS.items():
        out = io.StringIO()
        render([entry], out)
        outputs[fmt] = out.getvalue()
    (dot,) = pydot.graph_from_dot_data(outputs["dot"])
    assert len(dot.get_nodes()) == graph.number_of_nodes()
    assert len(dot.get_edges()) == graph.number_of_edges()
    check_mermaid(outputs["mermaid"], [graph])
    assert json.loads(outputs["json"])["workloads"][0]["graph"]["nodes"][0]["id"] == "pod"


# ----------------------------------------------------------------------------- escaping

def test_dot_quote_escapes_everything_that_could_end_a_string():
    assert dot_quote('a"b') == '"a\\"b"'
    assert dot_quote("a\\b") == '"a\\\\b"'
    assert dot_quote("x\\") == '"x\\\\"'
    assert dot_quote("a\nb\tc\x1b") == '"a\\x0ab\\x09c\\x1b"'
    assert dot_quote("名前") == '"名前"'
    # a control character and the same text typed literally stay distinct
    assert dot_quote("\t") != dot_quote("\\x09")


def test_mermaid_text_uses_entity_codes():
    assert mermaid_text('a"b') == "a#quot;b"
    assert mermaid_text("<b>&") == "#lt;b#gt;#amp;"
    assert mermaid_text("#quot;|`") == "#35;quot;#124;#96;"
    assert mermaid_text("a\nb") == "a b"


# ----------------------------------------------------------------------------- the command

MULTI_TEXT = f"""\
Deployment/api  {REL}/multi.yaml:11:1
  4 nodes, 3 edges; start order: api
  pod                  Deployment/api, restartPolicy Always, grace 30s  line 22
      runs-before -> container:api  (waits for: sandbox)
  container:api        main #1, image ghcr.io/example/api:5.1.0  line 23
  probe:api:readiness  readiness: httpGet :http/ready  line 27
      probe-of    -> container:api
  Service:api          Service in the workload's scope ({REL}/multi.yaml)  line 5
      selects     -> pod  (ports 80->http)

StatefulSet/db  {REL}/multi.yaml:30:1
  3 nodes, 2 edges; start order: postgres
  pod                 StatefulSet/db, restartPolicy Always, grace 30s  line 42
      runs-before -> container:postgres  (waits for: sandbox)
  container:postgres  main #1, image postgres:16.4  line 43
      mounts      -> volume:data  (read-write at /var/lib/postgresql/data)
  volume:data         data (volumeClaimTemplate)  line 48

Pod/api  {REL}/multi.yaml:54:1
  2 nodes, 1 edge; start order: debug
  pod              Pod/api, restartPolicy Always, grace 30s  line 59
      runs-before -> container:debug  (waits for: sandbox)
  container:debug  main #1, image busybox:1.36  line 60
"""


def test_text_output_one_graph_per_workload_in_file_order():
    result = invoke(f"{REL}/multi.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == MULTI_TEXT
    assert result.stderr == ""


def test_text_output_shows_references_and_mount_modes():
    result = invoke(f"{REL}/references.yaml")
    assert result.exit_code == 0
    assert ("      references  -> ConfigMap:sync-settings  (via envFrom, env REGION)\n"
            in result.stdout)
    assert "      references  -> Secret:sync-tokens  (via envFrom, optional)\n" in result.stdout
    assert "      mounts      -> volume:certs  (read-only at /etc/ssl/sync)\n" in result.stdout


def test_text_output_neutralises_control_characters():
    result = invoke(f"{REL}/hostile.yaml")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\t" not in result.stdout
    assert "container:multi\\x0aline\\x09\\x1b[31mred" in result.stdout


def graphs_of(fixture: str):
    """The graphs podlint graph prints for a fixture file: build_graph per pod,
    plus, in multi.yaml, the Service of the same file that selects the api pod."""
    graphs = [build_graph(p) for p in pods_of((FIXTURES / fixture).read_text())]
    if fixture == "multi.yaml":
        from podlint.crossfile import ServiceFacts, ServicePort
        from podlint.graph import add_related
        from podlint.scope import Place
        add_related(graphs[0], [ServiceFacts("api", Place("multi.yaml", None, 5), (("app", "api"),),
                                             (ServicePort(0, None, 80, "http", "TCP", 9, 7),), False)])
    return graphs


def _dot_unquote(name: str) -> str:
    assert name.startswith('"') and name.endswith('"')
    return re.sub(r'\\(["\\])', r"\1", name[1:-1])


@pytest.mark.parametrize("fixture", ["startup.yaml", "volumes.yaml", "references.yaml",
                                     "multi.yaml", "hostile.yaml"])
def test_dot_parses_with_pydot_with_every_node_and_edge(fixture):
    result = invoke(f"{REL}/{fixture}", "-f", "dot")
    assert result.exit_code == 0
    graphs = graphs_of(fixture)
    parsed = pydot.graph_from_dot_data(result.stdout)
    assert len(parsed) == len(graphs)
    for dot, graph in zip(parsed, graphs):
        assert dot.get_type() == "digraph"
        assert len(dot.get_nodes()) == graph.number_of_nodes()
        assert len(dot.get_edges()) == graph.number_of_edges()
        names = [_dot_unquote(n.get_name()) for n in dot.get_nodes()]
        if fixture != "hostile.yaml":      # control characters are written as \xNN there
            assert names == list(graph.nodes)
        assert len(set(names)) == len(names)
        pairs = [(_dot_unquote(e.get_source()), _dot_unquote(e.get_destination()))
                 for e in dot.get_edges()]
        assert set(pairs) <= {(a, b) for a in names for b in names}
        relations = [e.get("relation").strip('"') for e in dot.get_edges()]
        assert relations == [d["relation"] for _, _, d in graph.edges(data=True)]


def test_dot_keeps_hostile_names_inside_their_strings():
    result = invoke(f"{REL}/hostile.yaml", "-f", "dot")
    (dot,) = pydot.graph_from_dot_data(result.stdout)
    assert _dot_unquote(dot.get_name()) == 'Pod/evil" -> "x'
    assert '"container:init\\\\\\"; rankdir=TB; \\"x"' in [n.get_name() for n in dot.get_nodes()]
    # rankdir stays what podlint set: the name did not inject a statement
    assert dot.get("rankdir") == '"LR"'


# A checker for the flowchart subset podlint writes (mermaid's own grammar for
# these statements): header, classDefs, one subgraph per workload, node
# definitions with quoted labels, links with optional quoted labels, class lines.
NODE = re.compile(r'^    (w\d+n\d+)(\[\[|\[\(|\[/|\[|\{\{|>|\(\[)"([^"]*)"(\]\]|\)\]|/\]|\]|\}\}|\]\))$')
LINK = re.compile(r'^    (w\d+n\d+) (==>|-->|-\.->|-\.-)(?:\|"([^"]*)"\|)? (w\d+n\d+)$')
SHAPES = {"[[": "]]", "[(": ")]", "[/": "/]", "[": "]", "{{": "}}", ">": "]", "([": "])"}
LABEL_OK = re.compile(r'^(?:[^"<>`|#\x00-\x1f]|#[a-z]+;|#\d+;)*$')


def check_mermaid(text: str, graphs) -> None:
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    body = lines[1:]
    while body and body[0].startswith("  classDef "):
        assert re.match(r"^  classDef [a-z]+ [a-z:#0-9,\- ]+$", body[0])
        body = body[1:]
    workload = -1
    defined: set[str] = set()
    counts: list[list[int]] = []
    inside = False
    for line in body:
        if line.startswith("  subgraph "):
            assert not inside
            workload += 1
            match = re.match(rf'^  subgraph w{workload}\["([^"]*)"\]$', line)
            assert match and LABEL_OK.match(match.group(1)), line
            inside, defined = True, set()
            counts.append([0, 0])
        elif line == "  end":
            assert inside
            inside = False
        elif line == "    direction LR":
            assert inside
        elif line.startswith("    class "):
            ids = line.split()[1].split(",")
            assert set(ids) <= defined, line
        elif match := NODE.match(line):
            assert inside and match.group(1).startswith(f"w{workload}n")
            assert SHAPES[match.group(2)] == match.group(4), line
            assert LABEL_OK.match(match.group(3)), line
            defined.add(match.group(1))
            counts[-1][0] += 1
        elif match := LINK.match(line):
            assert match.group(1) in defined and match.group(4) in defined, line
            assert match.group(3) is None or LABEL_OK.match(match.group(3)), line
            counts[-1][1] += 1
        else:
            raise AssertionError(f"not valid flowchart syntax: {line!r}")
    assert not inside
    assert counts == [[g.number_of_nodes(), g.number_of_edges()] for g in graphs]


@pytest.mark.parametrize("fixture", ["startup.yaml", "volumes.yaml", "multi.yaml", "hostile.yaml"])
def test_mermaid_is_one_flowchart_with_a_subgraph_per_workload(fixture):
    result = invoke(f"{REL}/{fixture}", "-f", "mermaid")
    assert result.exit_code == 0
    check_mermaid(result.stdout, graphs_of(fixture))


def test_mermaid_startup_links():
    result = invoke(f"{REL}/startup.yaml", "-f", "mermaid")
    assert '    w0n0[["Deployment/shop"]]\n' in result.stdout
    assert '    w0n2["proxy (sidecar)"]\n' in result.stdout
    assert '    w0n4 -.->|"gates (succeeded)"| w0n5\n' in result.stdout
    assert '    w0n7 ==>|"runs-before (completed)"| w0n12\n' in result.stdout
    assert "    class w0n2 sidecar\n" in result.stdout


def test_json_is_node_link_data_per_workload():
    result = invoke(f"{REL}/multi.yaml", f"{REL}/startup.yaml", "-f", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    from podlint import __version__
    assert document["podlint_version"] == __version__
    assert [(w["kind"], w["name"], w["namespace"], w["path"], w["line"])
            for w in document["workloads"]] == [
        ("Deployment", "api", None, f"{REL}/multi.yaml", 11),
        ("StatefulSet", "db", None, f"{REL}/multi.yaml", 30),
        ("Pod", "api", None, f"{REL}/multi.yaml", 54),
        ("Deployment", "shop", "web", f"{REL}/startup.yaml", 3),
    ]
    data = document["workloads"][3]["graph"]
    assert set(data) == {"directed", "multigraph", "graph", "nodes", "edges"}
    rebuilt = nx.node_link_graph(data, edges="edges")
    _, original = graph_of("startup.yaml")
    assert list(rebuilt.nodes(data=True)) == list(original.nodes(data=True))
    assert list(rebuilt.edges(data=True)) == list(original.edges(data=True))
    assert data["edges"][0] == {"relation": "runs-before", "wait": "sandbox", "source": "pod",
                                "target": "container:migrate"}


def test_output_is_deterministic():
    first = invoke(FIXTURES.as_posix(), "-f", "json").stdout
    assert invoke(FIXTURES.as_posix(), "-f", "json").stdout == first
    for fixture in ("startup.yaml", "volumes.yaml"):
        a, b = graph_of(fixture)[1], graph_of(fixture)[1]
        assert list(a.edges(data=True)) == list(b.edges(data=True))


@pytest.mark.parametrize("selector,expected", [
    ("Deployment/api", ["Deployment/api"]),
    ("deployment/api", ["Deployment/api"]),
    ("api", ["Deployment/api", "Pod/api"]),
    ("StatefulSet/db", ["StatefulSet/db"]),
])
def test_workload_filter(selector, expected):
    result = invoke(f"{REL}/multi.yaml", "--workload", selector, "-f", "json")
    assert result.exit_code == 0
    assert [f"{w['kind']}/{w['name']}" for w in json.loads(result.stdout)["workloads"]] == expected


def test_workload_filter_that_matches_nothing_exits_2():
    result = invoke(f"{REL}/multi.yaml", "--workload", "Deployment/api", "--workload", "Job/nope")
    assert result.exit_code == 2
    assert result.stdout.startswith("Deployment/api  ")
    assert result.stderr == "podlint: error: no workload matched --workload Job/nope\n"


def test_parse_error_is_reported_and_other_files_are_still_graphed():
    result = invoke(f"{REL}/broken.yaml", f"{REL}/startup.yaml", "-f", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{REL}/broken.yaml:9:1: PL001 invalid YAML: ")
    assert [w["name"] for w in json.loads(result.stdout)["workloads"]] == ["shop"]


def test_invalid_object_is_reported_with_its_position():
    result = invoke(f"{REL}/wrong-types.yaml")
    assert result.exit_code == 2
    assert result.stderr == (f"{REL}/wrong-types.yaml:47:15: PL002 spec.containers is a string, "
                             "not a list\n")
    assert result.stdout.startswith(f"Pod/odd  {REL}/wrong-types.yaml:3:1\n")


def test_missing_file_and_no_workloads():
    result = invoke(f"{REL}/does-not-exist.yaml", "-f", "json")
    assert result.exit_code == 2
    assert result.stderr == (f"{REL}/does-not-exist.yaml:1:1: PL001 cannot read: "
                             "no such file or directory\n")
    assert json.loads(result.stdout)["workloads"] == []
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n"
    result = invoke("-", input=service)
    assert result.exit_code == 2
    assert result.stderr.startswith("podlint: error: no workload found")


def test_stdin_and_output_file(tmp_path):
    text = (FIXTURES / "startup.yaml").read_text()
    target = tmp_path / "g.dot"
    result = invoke("-", "-f", "dot", "-o", str(target), input=text)
    assert result.exit_code == 0 and result.stdout == ""
    (dot,) = pydot.graph_from_dot_data(target.read_text())
    assert len(dot.get_nodes()) == 15 and len(dot.get_edges()) == 19


def test_lint_path_does_not_import_networkx_or_the_graph():
    code = ("import sys, podlint.cli, podlint.api, podlint.engine, podlint.run, podlint.context;"
            "print(sorted(m for m in ('networkx', 'podlint.graph', 'podlint.graph_cli')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------- docs/graph.md

DOCS = Path(__file__).resolve().parent.parent / "docs" / "graph.md"
DOC_BLOCK = re.compile(r"<!-- (file|command): (.+?) -->\n```[a-z]*\n(.*?)```", re.S)


def test_every_command_in_docs_graph_md_prints_what_the_page_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocks = DOC_BLOCK.findall(DOCS.read_text())
    assert [kind for kind, _, _ in blocks].count("command") == 4
    for kind, what, body in blocks:
        if kind == "file":
            (tmp_path / what).write_text(body)
            continue
        args = what.split()
        assert args[:2] == ["podlint", "graph"]
        result = CliRunner().invoke(cli, args[1:])
        assert result.exit_code == 0, (what, result.stderr)
        assert result.stdout == body, what


def test_graph_shows_the_budget_and_autoscaler_acting_on_a_workload():
    """Issue 11: the PDB/HPA/Service relations of a workload, scoped like lint's."""
    path = "tests/fixtures/rules/PL604/fail_budget_at_hpa_minimum.yaml"
    result = invoke(path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "  4 nodes, 3 edges; start order: zookeeper"
    assert ("  PodDisruptionBudget:zookeeper-pdb      PodDisruptionBudget in the workload's scope "
            f"({path})  line 24\n      covers      -> pod  (minAvailable 2, evictions allowed 5)\n") in result.stdout
    assert ("  HorizontalPodAutoscaler:zookeeper-hpa  HorizontalPodAutoscaler in the workload's scope "
            f"({path})  line 34\n      scales      -> pod  (1 to 7 replicas)\n") in result.stdout
