"""The pod model: every pod-template kind, roles, Kubernetes defaults and the
Location of every value; wrong scalar types fall back, wrong structure is PL002."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podlint.finding import Location
from podlint.loader import LoadedFile, parse_text
from podlint.model import (DEFAULT_GRACE_SECONDS, DEFAULT_TERMINATION_MESSAGE_PATH, PROBE_DEFAULTS,
                           Pod, build_pod)
from podlint.run import lint_text
from podlint.workloads import ModelError, extract_workload

POD_SPEC = """\
containers:
  - name: app
    image: nginx:1.27
    volumeMounts:
      - {name: data, mountPath: /data}
volumes:
  - name: data
    emptyDir: {}
"""


def pod_of(text: str, path: str = "pod.yaml") -> Pod | None:
    loaded = parse_text(text, LoadedFile(path))
    assert loaded.findings == [], loaded.findings
    workload = extract_workload(loaded.documents[0])
    return None if workload is None else build_pod(workload)


def indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line.strip() else line for line in text.splitlines(True))


def wrap(kind: str, api_version: str, spec: str = POD_SPEC) -> str:
    """A manifest of `kind` carrying `spec` as its pod spec."""
    head = f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: demo\n"
    if kind == "Pod":
        return head + "spec:\n" + indent(spec, 2)
    if kind == "PodTemplate":
        return head + "template:\n  metadata: {labels: {app: demo}}\n  spec:\n" + indent(spec, 4)
    if kind == "CronJob":
        return (head + "spec:\n  schedule: '*/5 * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
                "        spec:\n" + indent(spec, 10))
    return (head + "spec:\n  selector: {matchLabels: {app: demo}}\n  template:\n"
            "    metadata: {labels: {app: demo}}\n    spec:\n" + indent(spec, 6))


# ----------------------------------------------------------------------------- kinds

@pytest.mark.parametrize("kind,api_version,template_path,spec_line", [
    ("Pod", "v1", "", 6),
    ("Deployment", "apps/v1", "spec.template", 10),
    ("Deployment", "apps/v1beta1", "spec.template", 10),          # removed in 1.16, still modelled
    ("Deployment", "extensions/v1beta1", "spec.template", 10),
    ("StatefulSet", "apps/v1", "spec.template", 10),
    ("StatefulSet", "apps/v1beta2", "spec.template", 10),
    ("DaemonSet", "apps/v1", "spec.template", 10),
    ("ReplicaSet", "apps/v1", "spec.template", 10),
    ("ReplicationController", "v1", "spec.template", 10),
    ("Job", "batch/v1", "spec.template", 10),
    ("CronJob", "batch/v1", "spec.jobTemplate.spec.template", 11),
    ("CronJob", "batch/v1beta1", "spec.jobTemplate.spec.template", 11),
    ("PodTemplate", "v1", "template", 8),
    ("Deployment", "example.com/v1", "spec.template", 10),          # any apiVersion
])
def test_every_pod_template_kind(kind, api_version, template_path, spec_line):
    """spec_line: where the pod spec's first key (containers:) is."""
    text = wrap(kind, api_version)
    loaded = parse_text(text, LoadedFile("w.yaml"))
    workload = extract_workload(loaded.documents[0])
    assert (workload.kind, workload.api_version, workload.name) == (kind, api_version, "demo")
    assert workload.template_path == template_path
    assert workload.location == Location("w.yaml", 1, 1)
    assert workload.ref == f"{kind}/demo"
    pod = build_pod(workload)
    assert [c.name for c in pod.containers] == ["app"]
    assert pod.containers[0].location.line == spec_line + 1
    assert pod.location.line == spec_line
    assert [v.name for v in pod.volumes] == ["data"]
    # PL501/PL502 see every kind the same way
    findings = lint_text(re.sub(r"name: data(\n +emptyDir)", r"name: date\1", text))
    assert {f.code for f in findings if f.code.startswith("PL50")} >= {"PL501", "PL502"}


@pytest.mark.parametrize("text", [
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n",
    "kind: Pod\nspec:\n  containers: [{name: a, image: b}]\n",            # no apiVersion
    "apiVersion: v1\nspec:\n  containers: [{name: a, image: b}]\n",        # no kind
    "apiVersion: v1\nkind: 5\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: no-template}\nspec: {replicas: 1}\n",
    "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec: {jobTemplate: {}}\n",
])
def test_documents_without_a_pod_are_not_workloads(text):
    loaded = parse_text(text, LoadedFile("x.yaml"))
    assert extract_workload(loaded.documents[0]) is None
    assert [f.code for f in lint_text(text) if f.code in ("PL000", "PL001", "PL002")] == []


def test_a_nameless_object_is_still_linted():
    text = wrap("Deployment", "apps/v1").replace("  name: demo\n", "  labels: {a: b}\n")
    workload = extract_workload(parse_text(text, LoadedFile("x.yaml")).documents[0])
    assert workload.name is None and workload.ref == "Deployment/<unnamed>"
    assert build_pod(workload) is not None


# ----------------------------------------------------------------------------- roles and order

def test_roles_init_sidecar_main_in_spec_order():
    pod = pod_of(wrap("Pod", "v1", """\
initContainers:
  - {name: migrate, image: "flyway/flyway:10"}
  - {name: proxy, image: "envoyproxy/envoy:v1.30.1", restartPolicy: Always}
  - {name: warm, image: "busybox:1.36", restartPolicy: OnFailure}
containers:
  - {name: app, image: "nginx:1.27"}
  - {name: metrics, image: "prom/statsd-exporter:v0.26.0", restartPolicy: Always}
"""))
    assert [(c.name, c.role, c.index) for c in pod.all_containers] == [
        ("migrate", "init", 0), ("proxy", "sidecar", 1), ("warm", "init", 2),
        ("app", "main", 0), ("metrics", "main", 1)]
    assert [c.name for c in pod.sidecars] == ["proxy"]
    assert [c.name for c in pod.regular_init_containers] == ["migrate", "warm"]
    assert pod.container("proxy").is_sidecar and pod.container("proxy").runs_alongside
    assert not pod.container("migrate").runs_alongside
    assert pod.container("metrics").is_main          # restartPolicy on a main container: still main


@pytest.mark.parametrize("kind,api_version,restart,long_running", [
    ("Deployment", "apps/v1", "Always", True),
    ("Pod", "v1", "Always", True),
    ("Job", "batch/v1", "Never", False),
    ("CronJob", "batch/v1", "Never", False),
])
def test_restart_policy_defaults(kind, api_version, restart, long_running):
    pod = pod_of(wrap(kind, api_version))
    assert pod.restart_policy == restart and pod.long_running is long_running


def test_a_pod_with_restart_policy_never_is_not_long_running():
    pod = pod_of(wrap("Pod", "v1", "restartPolicy: Never\n" + POD_SPEC))
    assert pod.restart_policy == "Never" and not pod.long_running


# ----------------------------------------------------------------------------- defaults

def test_probe_defaults_and_explicit_values():
    pod = pod_of(wrap("Pod", "v1", """\
containers:
  - name: app
    image: nginx:1.27
    readinessProbe:
      httpGet: {port: 80}
    livenessProbe:
      tcpSocket: {port: 80}
      initialDelaySeconds: 5
      periodSeconds: 0
      timeoutSeconds: 3
      failureThreshold: 6
      terminationGracePeriodSeconds: 10
    startupProbe:
      exec: {command: [cat, /ready]}
      periodSeconds: -1
      failureThreshold: 30
"""))
    app = pod.containers[0]
    ready, live, start = app.readiness_probe, app.liveness_probe, app.startup_probe
    assert PROBE_DEFAULTS == {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1,
                              "successThreshold": 1, "failureThreshold": 3}
    assert (ready.initial_delay, ready.period, ready.timeout, ready.success_threshold,
            ready.failure_threshold, ready.termination_grace) == (0, 10, 1, 1, 3, None)
    assert (live.initial_delay, live.period, live.timeout, live.failure_threshold,
            live.termination_grace) == (5, 10, 3, 6, 10)          # periodSeconds 0 is defaulted to 10
    assert (start.period, start.failure_threshold, start.failure_window) == (10, 30, 300)
    assert (ready.handler.action, ready.handler.port, ready.handler.path, ready.handler.scheme) == \
        ("httpGet", 80, "/", "HTTP")
    assert live.handler.action == "tcpSocket" and start.handler.command == ("cat", "/ready")
    assert [p.kind for p in app.probes] == ["startup", "liveness", "readiness"]
    assert ready.location == Location("pod.yaml", 9, 7)                   # readinessProbe:
    assert ready.where("httpGet") == Location("pod.yaml", 10, 9)
    assert live.where("periodSeconds", value=True) == Location("pod.yaml", 14, 24)
    assert live.where("nope") == live.location                          # absent: the probe


@pytest.mark.parametrize("value,expected,explicit", [
    (None, DEFAULT_GRACE_SECONDS, False),
    ("0", 0, True),
    ("45", 45, True),
    ("-1", 30, False),
    ('"60"', 30, False),
    ("true", 30, False),
    ("1.5", 30, False),
    ("[]", 30, False),
    ("99999999999999999999999", 30, False),
])
def test_termination_grace_period(value, expected, explicit):
    spec = POD_SPEC if value is None else f"terminationGracePeriodSeconds: {value}\n{POD_SPEC}"
    pod = pod_of(wrap("Pod", "v1", spec))
    assert (pod.termination_grace, pod.grace_explicit) == (expected, explicit)


@pytest.mark.parametrize("image,policy", [
    ("nginx", "Always"),
    ("nginx:latest", "Always"),
    ("nginx:1.27", "IfNotPresent"),
    ("registry.example.com:5000/team/app", "Always"),           # a port is not a tag
    ("registry.example.com:5000/team/app:2.1", "IfNotPresent"),
    ("registry.example.com:5000/team/app:latest", "Always"),
    ("nginx@sha256:" + "a" * 64, "IfNotPresent"),               # digest only
    ("nginx:1.27@sha256:" + "a" * 64, "IfNotPresent"),
])
def test_image_pull_policy_default(image, policy):
    pod = pod_of(wrap("Pod", "v1", f"containers:\n  - name: app\n    image: \"{image}\"\n"))
    assert pod.containers[0].image_pull_policy == policy


def test_explicit_image_pull_policy_wins():
    pod = pod_of(wrap("Pod", "v1", "containers:\n  - {name: app, image: nginx, imagePullPolicy: Never}\n"))
    assert pod.containers[0].image_pull_policy == "Never"


def test_termination_message_defaults_and_settings():
    pod = pod_of(wrap("Pod", "v1", """\
containers:
  - {name: a, image: "nginx:1.27"}
  - name: b
    image: "nginx:1.27"
    terminationMessagePath: /tmp/why
    terminationMessagePolicy: FallbackToLogsOnError
  - {name: c, image: "nginx:1.27", terminationMessagePath: 7, terminationMessagePolicy: [x]}
"""))
    a, b, c = pod.containers
    assert (a.termination_message_path, a.termination_message_policy) == \
        (DEFAULT_TERMINATION_MESSAGE_PATH, "File") == ("/dev/termination-log", "File")
    assert (b.termination_message_path, b.termination_message_policy) == \
        ("/tmp/why", "FallbackToLogsOnError")
    assert (c.termination_message_path, c.termination_message_policy) == ("/dev/termination-log", "File")


def test_hooks_ports_mounts_and_their_locations():
    pod = pod_of(wrap("Pod", "v1", """\
containers:
  - name: web
    image: nginx:1.27
    ports:
      - {name: http, containerPort: 8080}
      - containerPort: 9090
        protocol: UDP
    lifecycle:
      postStart:
        exec: {command: [sh, -c, "echo hi"]}
      preStop:
        sleep: {seconds: 5}
    volumeMounts:
      - {name: data, mountPath: /data, readOnly: true, subPath: x}
    volumeDevices:
      - {name: disk, devicePath: /dev/xvda}
volumes:
  - {name: data, emptyDir: {}}
  - name: disk
    persistentVolumeClaim: {claimName: disk}
"""))
    web = pod.containers[0]
    assert [(p.name, p.number, p.protocol, p.location.line, p.location.column) for p in web.ports] == [
        ("http", 8080, "TCP", 10, 11), (None, 9090, "UDP", 11, 11)]
    assert web.resolve_port("http") == 8080 and web.resolve_port("9090") == 9090
    assert web.resolve_port("nope") is None
    assert (web.post_start.kind, web.post_start.handler.command) == ("postStart", ("sh", "-c", "echo hi"))
    assert web.post_start.location == Location("pod.yaml", 14, 9)
    assert (web.pre_stop.handler.action, web.pre_stop.handler.sleep_seconds) == ("sleep", 5)
    assert [(m.name, m.mount_path, m.read_only, m.sub_path, m.device, m.location.line)
            for m in web.volume_mounts] == [("data", "/data", True, "x", False, 19),
                                            ("disk", "/dev/xvda", False, None, True, 21)]
    assert [(v.name, v.type, v.pod_scoped, v.location.line) for v in pod.volumes] == [
        ("data", "emptyDir", True, 23), ("disk", "persistentVolumeClaim", False, 24)]
    assert [(r.kind, r.name) for r in pod.volumes[1].references] == [("PersistentVolumeClaim", "disk")]


# ----------------------------------------------------------------------------- wrong shapes

@pytest.mark.parametrize("spec,line,column,message", [
    ("containers: foo\n", 6, 15, "spec.containers is a string, not a list"),
    ("containers: {name: app}\n", 6, 15, "spec.containers is a mapping, not a list"),
    ("containers:\n  - foo\n", 7, 7, "spec.containers[0] is a string, not a mapping"),
    ("containers:\n  - {name: a, image: b}\ninitContainers: 3\n", 8, 19,
     "spec.initContainers is a number, not a list"),
    ("containers:\n  - {name: a, image: b, ports: 80}\n", 7, 34,
     "spec.containers[0].ports is a number, not a list"),
    ("containers:\n  - {name: a, image: b, livenessProbe: true}\n", 7, 42,
     "spec.containers[0].livenessProbe is a boolean, not a mapping"),
    ("containers:\n  - {name: a, image: b, volumeMounts: [data]}\n", 7, 42,
     "spec.containers[0].volumeMounts[0] is a string, not a mapping"),
    ("containers: []\nvolumes: [[]]\n", 7, 13, "spec.volumes[0] is a list, not a mapping"),
])
def test_wrong_structure_is_pl002_at_the_field(spec, line, column, message):
    text = wrap("Pod", "v1", spec)
    with pytest.raises(ModelError) as raised:
        pod_of(text)
    assert raised.value.location == Location("pod.yaml", line, column)
    assert raised.value.message == message
    findings = [f for f in lint_text(text, path="pod.yaml") if f.code in ("PL000", "PL001", "PL002")]
    assert [(f.code, f.location.line, f.location.column, f.message, f.workload) for f in findings] == [
        ("PL002", line, column, message, "Pod/demo")]


def test_pl002_on_a_deployment_template_spec():
    text = wrap("Deployment", "apps/v1", "").replace("    spec:\n", "    spec: [oops]\n")
    findings = [f for f in lint_text(text) if f.code == "PL002"]
    assert [(f.location.line, f.location.column, f.message) for f in findings] == [
        (9, 11, "spec.template.spec is a list, not a mapping")]
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template: yes\n"
    findings = [f for f in lint_text(text) if f.code == "PL002"]
    assert [(f.location.line, f.location.column, f.message) for f in findings] == [
        (5, 13, "Deployment spec.template is a string, not a mapping")]


@pytest.mark.parametrize("field,value", [
    (field, value)
    for field in ("name", "image", "imagePullPolicy", "restartPolicy", "terminationMessagePath",
                  "terminationMessagePolicy")
    for value in ("null", "42", "true", "-7", "1.5", "99999999999999999999999", "'0x1F'")
])
def test_wrong_scalar_types_in_a_container_fall_back(field, value):
    fields = {"name": "app", "image": "nginx", field: value}
    body = "".join(f"    {key}: {val}\n" for key, val in fields.items())
    pod = pod_of(wrap("Pod", "v1", "containers:\n  -\n" + body))
    container = pod.containers[0]
    # a string is kept as written (an unknown enum value is PL003's); anything else defaults
    assert isinstance(container.name, str) and isinstance(container.image_pull_policy, str)
    assert isinstance(container.termination_message_policy, str)
    assert isinstance(container.termination_message_path, str)
    if not value.startswith("'"):
        assert container.termination_message_policy == "File"
        # "nginx" has no tag: Always; no usable image at all: IfNotPresent
        assert container.image_pull_policy == ("IfNotPresent" if field == "image" else "Always")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children,
                                                                        max_size=3),
    max_leaves=6)

FIELDS = ["name", "image", "imagePullPolicy", "ports", "livenessProbe", "readinessProbe",
          "startupProbe", "lifecycle", "volumeMounts", "volumeDevices", "restartPolicy", "env",
          "envFrom", "terminationMessagePath", "terminationMessagePolicy"]
PROBE_FIELDS = ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold",
                "failureThreshold", "terminationGracePeriodSeconds", "httpGet", "exec", "tcpSocket",
                "grpc", "sleep"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(container_field=st.sampled_from(FIELDS), probe_field=st.sampled_from(PROBE_FIELDS),
       pod_field=st.sampled_from(["terminationGracePeriodSeconds", "restartPolicy", "volumes",
                                  "serviceAccountName", "imagePullSecrets", "initContainers"]),
       a=JSON_VALUES, b=JSON_VALUES, c=JSON_VALUES)
def test_any_value_anywhere_builds_a_pod_or_raises_model_error(container_field, probe_field,
                                                                pod_field, a, b, c):
    container = {"name": "app", "image": "nginx:1.27",
                 "readinessProbe": {"httpGet": {"port": 80}, probe_field: b},
                 "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}}}
    container[container_field] = a
    spec = {"containers": [container], pod_field: c}
    document = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                "spec": {"template": {"spec": spec}}}
    loaded = parse_text(json.dumps(document, indent=1), LoadedFile("fuzz.json"))
    try:
        pod = build_pod(extract_workload(loaded.documents[0]))
    except ModelError as exc:
        assert exc.location.path == "fuzz.json" and exc.location.line >= 1 and exc.message
        return
    assert pod is not None
    for item in pod.all_containers:
        assert isinstance(item.name, str) and isinstance(item.image_pull_policy, str)
        for probe in item.probes:
            assert all(isinstance(v, int) and v >= 0 for v in
                       (probe.initial_delay, probe.period, probe.timeout, probe.failure_threshold))
    assert isinstance(pod.termination_grace, int) and pod.termination_grace >= 0
