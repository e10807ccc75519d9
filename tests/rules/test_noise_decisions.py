"""The noise decisions of issue 10 (design.md 7), beyond the fixtures: the shared
helpers in podlint.api that draw the line (placeholder containers, control-plane
static Pods), exact severities and messages where a decision changed them, and
the named corpus cases themselves (skipped without ../shared/corpus)."""
from __future__ import annotations

import pytest

from podlint.api import control_plane_static_pod, is_placeholder, placeholder_reason
from podlint.purpose import live_object_reason
from podlint.config import settings_from_mapping
from podlint.loader import LoadedFile, parse_text
from podlint.model import model_document
from podlint.registry import all_rules
from podlint.run import lint_paths, lint_text
from tests.helpers import ROOT, lint_only

CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "rules"


class _Container:
    """Just what placeholder_reason reads: raw and image."""

    def __init__(self, raw: dict):
        self.raw = raw
        self.image = raw.get("image")


@pytest.mark.parametrize("raw,reason", [
    ({"image": "curl", "command": ["/bin/sleep", "infinity"]}, "sleep infinity"),
    ({"image": "busybox", "command": ["sleep", "3600"]}, "sleep 3600"),
    ({"image": "busybox", "args": ["sleep", "1h"]}, "sleep 1h"),
    ({"image": "x", "command": ["sh", "-c", "exec tail -f /dev/null"]}, "tail -f /dev/null"),
    ({"image": "x", "command": ["tail"], "args": ["-f", "/dev/null"]}, "tail -f /dev/null"),
    ({"image": "x", "command": ["/bin/sh", "-c", "while true; do sleep 3600; done"]}, "sleep 3600"),
    ({"image": "x", "command": ["bash", "-c", "while :\ndo\n  sleep 60\ndone\n"]}, "sleep 60"),
    ({"image": "x", "command": ["sh", "-c", "trap : TERM INT; sleep infinity & wait"]},
     "sleep infinity"),
    ({"image": "x", "command": ["env", "A=1", "sleep", "infinity"]}, "sleep infinity"),
    ({"image": "registry.k8s.io/pause:3.9"}, "pause image"),
    ({"image": "gcr.io/google_containers/pause-amd64:3.1"}, "pause image"),
    ({"image": "gke.gcr.io/pause:3.8@sha256:880e63f94b14"}, "pause image"),
    ({"image": "kubernetes/pause"}, "pause image"),
    ({"image": "busybox", "command": ["sh"], "stdin": True, "tty": True}, "interactive shell"),
    ({"image": "scratch"}, "scratch image"),
    ({"image": "scratch", "command": ["/app"]}, "scratch image"),
    # only prints (S081, the docs' hello-world CronJob), a shell image on stdin (S077)
    ({"image": "busybox", "args": ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]},
     "only prints a message"),
    ({"image": "x", "command": ["sh", "-c", "while true; do date +%s; sleep 1; done"]}, "sleep 1"),
    ({"image": "busybox", "stdin": True}, "interactive shell"),
    ({"image": "docker.io/library/alpine:3.20", "stdin": True}, "interactive shell"),
])
def test_placeholders(raw, reason):
    assert placeholder_reason(_Container(raw)) == reason
    assert is_placeholder(_Container(raw))


@pytest.mark.parametrize("raw", [
    {"image": "nginx"},                                                    # the image's own command
    {"image": "nginx", "stdin": True, "tty": True},                        # a server with a terminal
    {"image": "busybox", "command": ["sh"]},                               # exits at once: no stdin
    {"image": "x", "command": ["sleep", "$(DELAY)"]},                      # not a duration we know
    {"image": "x", "command": ["sh", "-c", "touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy"]},
    {"image": "x", "command": ["sh", "-c", "while true; do echo $(date) >> /mnt/out; sleep 1; done"]},
    {"image": "x", "command": ["sh", "-c", "sysctl -w vm.max_map_count=262144; sleep infinity"]},
    {"image": "x", "command": ["sh", "-c", "while check; do sleep 5; done"]},   # a condition that works
    {"image": "x", "command": ["sh", "-c", "sleep 'unterminated"]},        # shlex error
    {"image": "x", "command": ["sh", "-c"]},                               # no script
    {"image": "x", "command": ["tail", "-f", "/var/log/app.log"]},
    {"image": "pause-builder:1.0", "command": ["make"]},                   # a command beats the image
    {"image": "example/scratch:1.0"},                                      # only Docker's own scratch
    {"image": None},
    {"image": "x", "command": "sleep infinity"},                            # not a list: PL003's
    # printing that does work: a write, a command substitution, setting the clock or name
    {"image": "x", "command": ["sh", "-c", "echo 262144 > /proc/sys/vm/max_map_count"]},
    {"image": "x", "command": ["sh", "-c", "echo $(curl -s http://example.com/config)"]},
    {"image": "x", "command": ["sh", "-c", "date -s '2024-01-01 00:00'"]},
    {"image": "x", "command": ["sh", "-c", "hostname node-1"]},
    {"image": "nginx", "stdin": True},                                     # its own command, not a shell
])
def test_not_placeholders(raw):
    assert placeholder_reason(_Container(raw)) is None


def _pod(text: str):
    [document] = parse_text(text, LoadedFile("pod.yaml")).documents
    return model_document(document)[1]


STATIC_POD = """\
apiVersion: v1
kind: Pod
metadata:
  labels: {component: kube-scheduler, tier: control-plane}
  name: kube-scheduler
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
    - {name: kube-scheduler, image: "registry.k8s.io/kube-scheduler:v1.31.0", command: [kube-scheduler]}
"""


def test_control_plane_static_pod_needs_pod_kube_system_and_host_network_or_both_labels():
    assert control_plane_static_pod(_pod(STATIC_POD)) == "kube-scheduler"
    assert control_plane_static_pod(_pod(STATIC_POD.replace("tier: control-plane", "tier: x"))) \
        == "kube-scheduler"                         # the component label alone names it
    assert control_plane_static_pod(_pod(STATIC_POD.replace("namespace: kube-system",
                                                            "namespace: default"))) is None
    # off the host network only with both kubeadm labels (checkov's trimmed copies drop hostNetwork)
    assert control_plane_static_pod(_pod(STATIC_POD.replace("hostNetwork: true",
                                                            "hostNetwork: false"))) == "kube-scheduler"
    assert control_plane_static_pod(_pod(STATIC_POD.replace("hostNetwork: true", "hostNetwork: false")
                                         .replace("tier: control-plane", "tier: x"))) is None
    assert control_plane_static_pod(_pod(STATIC_POD.replace(
        "{component: kube-scheduler, tier: control-plane}", "{app: scheduler}"))) is None
    mirror = STATIC_POD.replace("  labels: {component: kube-scheduler, tier: control-plane}\n",
                                "  annotations: {kubernetes.io/config.source: file}\n")
    assert control_plane_static_pod(_pod(mirror)) == "static"


@pytest.mark.parametrize("data,reason", [
    ({"metadata": {"name": "x", "uid": "fd131d5c-8035"}}, "metadata.uid"),
    ({"metadata": {"resourceVersion": "5140192"}}, "metadata.resourceVersion"),
    ({"metadata": {"selfLink": "/apis/batch/v1/namespaces/a/jobs/fail"}}, "metadata.selfLink"),
    ({"metadata": {"managedFields": [{"manager": "kubectl"}]}}, "metadata.managedFields"),
    ({"metadata": {"name": "x"}, "status": {"replicas": 1}}, "status"),
    # kubectl create --dry-run=client -o yaml, kubeadm: scaffolds people edit
    ({"metadata": {"name": "x", "creationTimestamp": None}, "status": {}}, None),
    ({"metadata": {"name": "x", "uid": "", "resourceVersion": None}}, None),
    ({"metadata": {"name": "x"}, "status": {"loadBalancer": {}}}, None),    # kubectl create --dry-run
    ({"kind": "Deployment", "metadata": "oops", "status": "Running"}, None),
    ("not a mapping", None),
])
def test_live_object_reason(data, reason):
    assert live_object_reason(data) == reason


def test_dump_loses_advice_but_keeps_errors_and_warnings():
    """S040: advice on a cluster dump is noise; what the API rejects is not."""
    text = (FIXTURES / "PL202" / "pass_cluster_dump.yaml").read_text()
    text = text.replace("        resources: {}\n", "        resources: {}\n        readinessProbe:\n"
                        "          tcpSocket: {port: 80}\n          timeoutSeconds: 20\n", 1)
    settings = settings_from_mapping({"select": ["PL"]}, all_rules())
    assert sorted((f.code, f.severity) for f in lint_text(text, settings)) == [("PL204", "warning")]
    old = text.replace("apiVersion: apps/v1", "apiVersion: extensions/v1beta1")
    assert sorted((f.code, f.severity) for f in lint_text(old, settings)) == [
        ("PL004", "error"), ("PL204", "warning")]
    # The same object without what the API server wrote gets the advice.
    edited = "\n".join(line for line in text.splitlines()
                       if not line.lstrip().startswith(("uid:", "resourceVersion:", "selfLink:")))
    edited = edited[:edited.index("status:")]
    assert sorted((f.code, f.severity) for f in lint_text(edited, settings)) == [
        ("PL202", "info"), ("PL204", "warning"), ("PL401", "info")]


def test_pl207_numeric_severities_on_the_corpus_fixture():
    text = (FIXTURES / "PL207" / "fail_undeclared_numbers.yaml").read_text()
    got = [(f.location.line, f.severity) for f in lint_only("PL207", text) if f.code == "PL207"]
    assert got == [(17, "warning")]
    [warning] = [f for f in lint_only("PL207", text) if f.severity == "warning"]
    assert warning.message == (
        'livenessProbe of container "tomcat" targets port 80, which the container does not declare, '
        "while its readinessProbe checks the declared port 8080: the probes disagree about where "
        "the app listens, so one of them is likely a typo or a stale port")


def test_pl207_lone_undeclared_numbers_give_nothing_at_any_severity():
    """S053/S054: a probe on a number works whether or not it is listed; the info
    finding is gone, not hidden by the severity (a config raising PL207 keeps none)."""
    text = (FIXTURES / "PL207" / "pass_undeclared_numbers_served.yaml").read_text()
    assert lint_only("PL207", text, {"rules": {"PL207": {"severity": "error"}}}) == []


def test_pl207_named_port_stays_an_error_beside_a_bound_number():
    text = (FIXTURES / "PL207" / "pass_port_bound_on_command_line.yaml").read_text()
    text = text.replace("port: 8081\n          initialDelaySeconds: 15", "port: healthz\n          "
                        "initialDelaySeconds: 15")
    got = [(f.location.line, f.severity) for f in lint_only("PL207", text) if f.code == "PL207"]
    assert got == [(30, "error")]


def test_pl505_node_system_path_message_and_hint():
    text = (FIXTURES / "PL505" / "fail_node_access_outside_control_plane.yaml").read_text()
    by_line = {f.location.line: f for f in lint_only("PL505", text) if f.code == "PL505"}
    proc = by_line[max(by_line)]
    assert proc.message == ('volume "proc-vol" mounts the node\'s /proc: the pod reads or changes '
                            "the node itself, on whichever node it lands")
    assert proc.hint.startswith("run a node agent as a DaemonSet (not flagged)")
    data = lint_only("PL505", (FIXTURES / "PL505" / "fail_deployment_and_job.yaml").read_text())
    messages = sorted(f.message for f in data if f.code == "PL505")
    assert messages == [
        'volume "files" mounts the node\'s /mnt/uploads: the pod\'s data depends on the node it '
        "lands on",
        'volume "sock" mounts the node\'s /var/run/docker.sock: the pod reads or changes the node '
        "itself, on whichever node it lands"]


def _pl301_hints(text: str) -> list[str]:
    return [f.hint for f in lint_only("PL301", text) if f.code == "PL301"]


def test_pl301_hint_fits_the_sleep_to_the_grace():
    """S067: a 5 s sleep "well below" a 5 s grace is what PL302 then reports."""
    text = (FIXTURES / "PL301" / "fail_grace_too_short_for_sleep.yaml").read_text()
    assert _pl301_hints(text) == [
        "add lifecycle.preStop: {sleep: {seconds: 5}} so endpoints are removed before shutdown, "
        "and raise terminationGracePeriodSeconds from 5 to at least 10: the grace counts from the "
        "start of the hook, and the app needs a few seconds after it"]
    assert _pl301_hints(text.replace("terminationGracePeriodSeconds: 5", "terminationGracePeriodSeconds: 8")) == [
        "add lifecycle.preStop: {sleep: {seconds: 3}} so endpoints are removed before shutdown; "
        "it leaves the app 5 s of the 8 s terminationGracePeriodSeconds"]
    assert _pl301_hints(text.replace("      terminationGracePeriodSeconds: 5\n", "")) == [
        "add lifecycle.preStop: {sleep: {seconds: 5}} so endpoints are removed before shutdown; "
        "it leaves the app 25 s of the 30 s terminationGracePeriodSeconds"]


def test_pl301_suggested_sleep_passes_pl302_and_pl303():
    """The hint's own advice, applied, gives no shutdown finding."""
    text = (FIXTURES / "PL301" / "fail_grace_too_short_for_sleep.yaml").read_text()
    for grace, sleep in ((8, 3), (9, 4), (10, 5), (30, 5)):
        fixed = text.replace("terminationGracePeriodSeconds: 5", f"terminationGracePeriodSeconds: {grace}")
        fixed = fixed.replace("        ports:\n", f"        lifecycle: {{preStop: {{sleep: {{seconds: {sleep}}}}}}}\n"
                              "        ports:\n", 1)
        assert _pl301_hints(text.replace("terminationGracePeriodSeconds: 5",
                                         f"terminationGracePeriodSeconds: {grace}"))[0].startswith(
            f"add lifecycle.preStop: {{sleep: {{seconds: {sleep}}}}}")
        codes = [f.code for code in ("PL301", "PL302", "PL303") for f in lint_only(code, fixed)
                 if f.code in ("PL301", "PL302", "PL303")]
        assert codes == []


def test_pl304_is_opt_in():
    """S069/S070: every corpus grace 0 was deliberate; the rule runs only when named."""
    text = (FIXTURES / "PL304" / "fail_deliberate_test_pod.yaml").read_text()
    by_default = settings_from_mapping({}, all_rules())
    assert [f for f in lint_text(text, by_default) if f.code == "PL304"] == []
    prefix = settings_from_mapping({"select": ["PL3"]}, all_rules())
    assert [f for f in lint_text(text, prefix) if f.code == "PL304"] == []
    for name in ("PL304", "zero-grace-period"):
        named = settings_from_mapping({"extend-select": [name]}, all_rules())
        assert {f.code for f in lint_text(text, named)} >= {"PL304"}


# --------------------------------------------------------------------------- the corpus cases

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(),
                                  reason="../shared/corpus is absent (a clone of this repository "
                                         "alone has no corpus)")

CASES = [
    # (corpus file, rule, expected (line, severity) findings)
    ("bridgecrewio__checkov/tests__kubernetes__checks__example_EtcdAutoTls__Etcd-FAILED.yaml",
     "PL505", []),
    ("bridgecrewio__checkov/tests__kubernetes__checks__example_ApiServerProfiling__ApiServer-PASSED.yaml",
     "PL505", []),
    ("bridgecrewio__checkov/tests__kubernetes__checks__example_EtcdAutoTls__Etcd-FAILED.yaml",
     "PL204", []),
    ("istio__istio/samples__sleep__sleep.yaml", "PL304", []),
    ("istio__istio/samples__curl__curl.yaml", "PL304", []),
    ("istio__istio/samples__sleep__sleep.yaml", "PL202", []),
    ("istio__istio/samples__sleep__sleep.yaml", "PL401", []),
    ("GoogleCloudPlatform__kubernetes-engine-samples/streaming__kafka-strimzi__manifests__03-auth__kafkacat.yaml",
     "PL202", []),
    ("argoproj__argo-cd/manifests__base__repo-server__argocd-repo-server-deployment.yaml",
     "PL101", []),
    ("GoogleCloudPlatform__kubernetes-engine-samples/ai-ml__gke-tpu-dynamic-slicing__slice-controller.yaml",
     "PL207", []),
    ("kubernetes__ingress-nginx/deploy__static__provider__cloud__deploy.yaml", "PL207", []),
    ("kubernetes__ingress-nginx/deploy__static__provider__kind__deploy.yaml", "PL207", []),     # S054
    ("istio__istio/samples__security__spire__spire-quickstart.yaml", "PL207", []),            # S053
    ("open-policy-agent__gatekeeper-library/library__general__requiredprobes__samples__must-have-probes__example_allowed.yaml",
     "PL207", [(13, "warning")]),
    ("GoogleCloudPlatform__kubernetes-engine-samples/demos__vit-training-example__yamls__spec-filestore.yaml",
     "PL301", []),            # S068: a single-replica StatefulSet's pod stops alone
    ("bridgecrewio__checkov/tests__kubernetes__checks__example_ApiServerSecurePort__api-server-secure-port-FAILED.yaml",
     "PL212", []),            # S062: kubeadm's static Pod runs on the host network
    ("kubernetes__ingress-nginx/deploy__static__provider__kind__deploy.yaml", "PL304",
     [(511, "info")]),        # opt-in since S070 (grace 0 deliberate there): selected here by code
]


@needs_corpus
@pytest.mark.parametrize("name,code,expected", CASES, ids=[f"{c[1]}:{c[0].split('/')[-1][:50]}" for c in CASES])
def test_corpus_case(name: str, code: str, expected: list):
    settings = settings_from_mapping({"select": [code]}, all_rules())
    result = lint_paths([str(CORPUS / name)], settings, jobs=1)
    got = [(f.location.line, f.severity) for f in result.findings if f.code == code]
    assert got == expected
