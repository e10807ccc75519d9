"""Mistakes the API server rejects (PL007-PL012), PL212, and the object-level
patch logic, strategy model and DeploymentConfig support they rest on, beyond
the rules' fixtures: exact messages, version gates, what counts as a whole
object, successor-schema validation for removed apiVersions (PL003), and the
PL004 / PL210 hints."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from podlint.loader import LoadedFile, parse_text
from podlint.model import build_pod
from podlint.workloads import extract_workload
from tests.helpers import ROOT, lint_only

CORPUS = ROOT.parent / "shared" / "corpus"


def findings(code: str, text: str, config: dict | None = None):
    return [f for f in lint_only(code, text, config) if f.code in (code, "PL000")]


def workload_of(text: str):
    return extract_workload(parse_text(text, LoadedFile("x.yaml")).documents[0])


# --------------------------------------------------------------------------- whole vs patch

DEPLOYMENT_NO_IMAGE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          ports: [{containerPort: 80}]
"""

PATCH_NO_IMAGE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - name: app
          ports: [{containerPort: 80}]
"""


def test_whole_object_marks():
    assert workload_of(DEPLOYMENT_NO_IMAGE).is_whole
    assert not workload_of(DEPLOYMENT_NO_IMAGE).is_patch
    assert workload_of(PATCH_NO_IMAGE).is_patch and not workload_of(PATCH_NO_IMAGE).is_whole
    named_pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n"
    assert workload_of(named_pod).is_whole
    unnamed = "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a}]\n"
    assert workload_of(unnamed).is_patch
    directive = DEPLOYMENT_NO_IMAGE.replace("ports: [{containerPort: 80}]", "$patch: delete")
    assert workload_of(directive).is_patch and not workload_of(directive).is_whole
    # A Job has no selector to mark it: judged by images, as PL003 always did.
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n"
           "      containers: [{name: a}, {name: b, image: busybox}]\n")
    assert not workload_of(job).is_whole and not workload_of(job).is_patch


def test_image_less_container_is_a_fragment_only_in_a_patch():
    """Before: every image-less container was skipped as a patch fragment, so a whole
    Deployment that lost its image line got no error at all. The error is PL012's;
    advice about the app (PL202/PL401) waits until there is an image that runs one."""
    whole = build_pod(workload_of(DEPLOYMENT_NO_IMAGE))
    patch = build_pod(workload_of(PATCH_NO_IMAGE))
    assert not whole.containers[0].is_patch_fragment
    assert patch.containers[0].is_patch_fragment
    assert findings("PL202", DEPLOYMENT_NO_IMAGE) == []
    assert findings("PL202", PATCH_NO_IMAGE) == []
    [missing] = findings("PL012", DEPLOYMENT_NO_IMAGE)
    assert (missing.location.line, missing.location.column) == (10, 11)
    assert missing.message == ('container "app" has no image; the API server rejects the object '
                               "(image: Required value)")
    assert findings("PL012", PATCH_NO_IMAGE) == []


def test_pl003_reports_missing_required_fields_of_a_whole_object_without_images():
    text = DEPLOYMENT_NO_IMAGE.replace("        - name: app\n", "        - ports: []\n").replace(
        "          ports: [{containerPort: 80}]\n", "")
    messages = [f.message for f in findings("PL003", text)]
    assert messages == ['spec.template.spec.containers[0]: missing required field "name"']
    patch = PATCH_NO_IMAGE.replace("        - name: app\n", "        - ports: []\n").replace(
        "          ports: [{containerPort: 80}]\n", "")
    assert findings("PL003", patch) == []


# --------------------------------------------------------------------------- PL007

def test_pl007_messages_and_positions():
    job = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n"
           "    spec:\n      containers: [{name: a, image: busybox}]\n")
    [finding] = findings("PL007", job)
    assert (finding.location.line, finding.location.column) == (6, 5)
    assert finding.message == ("Job pod template has no restartPolicy: it defaults to Always, which "
                               "a Job rejects (supported: OnFailure, Never); the object is never created")
    deployment = DEPLOYMENT_NO_IMAGE.replace("    spec:\n      containers:",
                                             "    spec:\n      restartPolicy: Never\n      containers:")
    [finding] = findings("PL007", deployment)
    assert (finding.location.line, finding.location.column) == (9, 22)
    assert "Deployment pod template sets restartPolicy Never" in finding.message
    assert findings("PL007", job.replace("    spec:\n", "    spec:\n      restartPolicy: Never\n")) == []


# --------------------------------------------------------------------------- PL008

def test_pl008_names_every_failing_requirement():
    text = DEPLOYMENT_NO_IMAGE.replace("{matchLabels: {app: web}}",
                                       "{matchLabels: {app: web, tier: fe}, matchExpressions: "
                                       "[{key: zone, operator: In, values: [a, b]}]}")
    [finding] = findings("PL008", text)
    assert (finding.location.line, finding.location.column) == (7, 16)
    assert finding.message == ("Deployment spec.selector (line 5) does not match its pod template "
                               "labels (not satisfied: tier=fe, zone in (a, b)); the API server "
                               "rejects the object")


def test_pl008_job_selector_of_generated_labels_only_is_accepted():
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n"
            "  selector: {matchLabels: {job-name: j}}\n  template:\n    spec:\n"
            "      restartPolicy: Never\n      containers: [{name: a, image: busybox}]\n")
    assert findings("PL008", text) == []


# --------------------------------------------------------------------------- PL009 versions

SIDECAR_ON_MAIN = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - {name: once, image: busybox, restartPolicy: Never}
  containers:
    - name: app
      image: nginx
      restartPolicy: Always
      restartPolicyRules: [{action: Restart, exitCodes: {operator: In, values: [42]}}]
"""


@pytest.mark.parametrize("version,expected", [
    ("1.33", [(6, "rejects"), (10, "rejects")]),
    ("1.34", [(6, "drops"), (10, "drops"), (11, "drops")]),
    ("1.35", []),
])
def test_pl009_follows_the_container_restart_rules_gate(version, expected):
    got = findings("PL009", SIDECAR_ON_MAIN, {"kubernetes-version": version})
    assert [(f.location.line, "drops" if "drops it" in f.message else "rejects") for f in got] \
        == expected


def test_pl009_rejects_a_misspelt_value_at_every_version():
    text = SIDECAR_ON_MAIN.replace("restartPolicy: Always", "restartPolicy: always")
    [finding] = [f for f in findings("PL009", text) if f.location.line == 10]
    assert "which is not a restart policy" in finding.message


# --------------------------------------------------------------------------- PL010, PL011, PL212

def test_pl010_default_deadline_against_min_ready():
    text = DEPLOYMENT_NO_IMAGE.replace("spec:\n  selector", "spec:\n  minReadySeconds: 600\n  selector")
    [finding] = findings("PL010", text)
    assert finding.message.startswith("the default progressDeadlineSeconds 600 is not above "
                                      "minReadySeconds 600")


def test_pl011_says_when_the_pod_has_no_regular_containers():
    path = ROOT / "tests/fixtures/rules/PL011/fail_ephemeral_containers.yaml"
    got = findings("PL011", path.read_text())
    assert "no regular containers" in got[0].message
    assert "no regular containers" not in got[1].message


@pytest.mark.parametrize("host,flagged", [
    ("localhost", True), ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
    ("LOCALHOST", True), ("10.0.0.1", False), ("my-service", False), ("0.0.0.0", False),
])
def test_pl212_loopback_hosts(host, flagged):
    text = (f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n"
            f"    - name: a\n      image: nginx\n      livenessProbe:\n"
            f"        httpGet: {{host: \"{host}\", port: 80}}\n")
    assert bool(findings("PL212", text)) is flagged


# --------------------------------------------------------------------------- PL003 successor

OLD_CRONJOB = """\
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1.0
              resource: {limits: {memory: 128Mi}}
"""


def test_pl003_validates_a_removed_apiversion_against_its_successor():
    """Before: batch/v1beta1 had no schema at 1.35 and PL003 said nothing."""
    [finding] = findings("PL003", OLD_CRONJOB)
    assert finding.location.line == 14
    assert finding.message == (
        'spec.jobTemplate.spec.template.spec.containers[0].resource: unknown field "resource" '
        "(checked against batch/v1, which replaces batch/v1beta1)")
    # Still served at 1.24, but the oldest schema podlint ships (1.25) has no batch/v1beta1.
    assert findings("PL003", OLD_CRONJOB, {"kubernetes-version": "1.24"})


def test_pl003_leaves_the_version_move_itself_to_pl004():
    text = """\
apiVersion: extensions/v1beta1
kind: Deployment
metadata: {name: web}
spec:
  rollbackTo: {revision: 1}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx
          livenesProbe: {}
"""
    assert [f.message.split(":")[0] for f in findings("PL003", text)] == \
        ["spec.template.spec.containers[0].livenesProbe"]


def test_pl003_does_not_validate_reshaping_moves():
    text = ("apiVersion: autoscaling/v2beta1\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
            "spec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 3\n"
            "  metrics: [{type: Resource, resource: {name: cpu, targetAverageUtilization: 50}}]\n")
    assert findings("PL003", text) == []


# --------------------------------------------------------------------------- hints

def test_pl004_hint_for_hpa_v2beta2_describes_its_own_move():
    text = ("apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n"
            "spec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 3\n")
    [finding] = findings("PL004", text)
    assert "targetAverageUtilization" not in finding.hint
    assert finding.hint.startswith("change apiVersion to autoscaling/v2; no field changes")


def test_pl210_hint_for_a_shell_string_offers_sh_c_first():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "    - name: a\n      image: nginx\n      livenessProbe:\n"
            "        exec: {command: [\"cat /tmp/ready | grep ok\"]}\n")
    [finding] = findings("PL210", text)
    assert finding.hint == 'run it in a shell: ["sh", "-c", "cat /tmp/ready | grep ok"]'
    # Following the hint gives a command PL210 accepts.
    fixed = text.replace('["cat /tmp/ready | grep ok"]', '["sh", "-c", "cat /tmp/ready | grep ok"]')
    assert findings("PL210", fixed) == []
    plain = text.replace("cat /tmp/ready | grep ok", "cat /tmp/ready")
    [finding] = findings("PL210", plain)
    assert finding.hint.endswith('give each word its own element: ["cat", "/tmp/ready"]')


# --------------------------------------------------------------------------- DeploymentConfig

DEPLOYMENT_CONFIG = """\
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata: {name: frontend}
spec:
  replicas: 3
  selector: {name: frontend}
  strategy:
    type: Rolling
    rollingParams: {maxSurge: 1, timeoutSeconds: 1200}
  template:
    metadata: {labels: {name: frontend}}
    spec:
      containers:
        - name: web
          image: openshift/hello-openshift
          ports: [{containerPort: 8080}]
"""


def test_deployment_config_is_a_workload_with_a_strategy():
    """Before: DeploymentConfig was no workload; its pods were never linted."""
    workload = workload_of(DEPLOYMENT_CONFIG)
    assert workload is not None and workload.template_path == "spec.template"
    strategy = workload.strategy
    assert (strategy.type, strategy.declared, strategy.max_surge, strategy.max_unavailable,
            strategy.timeout_seconds) == ("RollingUpdate", "Rolling", 1, "25%", 1200)
    assert strategy.location.line == 7
    recreate = workload_of(DEPLOYMENT_CONFIG.replace("type: Rolling", "type: Recreate").replace(
        "rollingParams: {maxSurge: 1, timeoutSeconds: 1200}", "recreateParams: {}")).strategy
    assert (recreate.type, recreate.max_surge, recreate.timeout_seconds) == ("Recreate", None, 600)
    other = DEPLOYMENT_CONFIG.replace("apps.openshift.io/v1", "example.com/v1")
    assert workload_of(other) is None
    # PL201 judges containers a Service in scope sends traffic to (podlint/scope.py)
    service = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: frontend}\n"
               "spec: {selector: {name: frontend}, ports: [{port: 8080}]}\n")
    assert [f.code for f in lint_only("PL201", DEPLOYMENT_CONFIG + service)] == ["PL201"]


@pytest.mark.parametrize("api_version,expected", [
    ("apps/v1", ("RollingUpdate", "25%", "25%", 600)),
    ("extensions/v1beta1", ("RollingUpdate", 1, 1, None)),
])
def test_deployment_strategy_defaults(api_version, expected):
    text = DEPLOYMENT_NO_IMAGE.replace("apps/v1", api_version)
    strategy = workload_of(text).strategy
    assert (strategy.type, strategy.max_surge, strategy.max_unavailable,
            strategy.progress_deadline) == expected
    daemon = workload_of(text.replace("kind: Deployment", "kind: DaemonSet")).strategy
    assert daemon.type == ("RollingUpdate" if api_version == "apps/v1" else "OnDelete")


# --------------------------------------------------------------------------- corpus

@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus in ../shared/corpus")
def test_corpus_deployment_configs_are_linted():
    from podlint.config import settings_from_mapping
    from podlint.registry import all_rules
    from podlint.run import lint_paths
    folder = CORPUS / "stackrox__kube-linter"
    settings = settings_from_mapping({"select": ["PL008"]}, all_rules())
    result = lint_paths([str(folder / "tests__checks__mismatching-selector.yml")], settings, jobs=1)
    got = sorted((f.location.line, f.workload) for f in result.findings if f.code == "PL008")
    assert got == [(41, "Deployment/app1"), (53, "DeploymentConfig/app2")]


# --------------------------------------------------------------------------- robustness

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MY_CODES = ["PL003", "PL007", "PL008", "PL009", "PL010", "PL011", "PL012", "PL212"]
ROBUST_BASE = {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {
        "minReadySeconds": 10, "progressDeadlineSeconds": 5,
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}},
        "selector": {"matchLabels": {"app": "web"},
                     "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a"]}]},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "restartPolicy": "Never",
                "initContainers": [{"name": "i", "image": "busybox", "restartPolicy": "Never"}],
                "containers": [{"name": "app", "restartPolicy": "Always",
                                "readinessProbe": {"httpGet": {"host": "localhost", "port": 80}}}],
                "ephemeralContainers": [{"name": "dbg", "image": "busybox"}],
            },
        },
    },
}
ROBUST_PATHS = [
    ("kind",), ("metadata",), ("metadata", "name"), ("spec",), ("spec", "selector"),
    ("spec", "selector", "matchLabels"), ("spec", "selector", "matchLabels", "app"),
    ("spec", "selector", "matchExpressions"), ("spec", "selector", "matchExpressions", 0),
    ("spec", "selector", "matchExpressions", 0, "values"), ("spec", "minReadySeconds"),
    ("spec", "progressDeadlineSeconds"), ("spec", "strategy"), ("spec", "strategy", "rollingUpdate"),
    ("spec", "template", "metadata"), ("spec", "template", "metadata", "labels"),
    ("spec", "template", "spec", "restartPolicy"), ("spec", "template", "spec", "ephemeralContainers"),
    ("spec", "template", "spec", "containers", 0, "image"),
    ("spec", "template", "spec", "containers", 0, "restartPolicy"),
    ("spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "host"),
    ("spec", "template", "spec", "initContainers", 0, "restartPolicy"),
]
ROBUST_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
              st.text(max_size=8), st.sampled_from(["Always", "Never", "::1", "", "Job", "CronJob",
                                                    "DeploymentConfig", "$patch"])),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=6), children, max_size=3)),
    max_leaves=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ROBUST_PATHS), ROBUST_VALUES), min_size=1, max_size=4))
def test_api_rules_never_crash_whatever_the_field_types(changes):
    import copy
    from podlint.config import settings_from_mapping
    from podlint.registry import all_rules
    from podlint.run import lint_text
    document = copy.deepcopy(ROBUST_BASE)
    for path, value in sorted(changes, key=lambda c: len(c[0])):
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    settings_ = settings_from_mapping({"select": MY_CODES}, all_rules())
    assert [f for f in lint_text(json.dumps(document), settings_) if f.code == "PL000"] == []


def test_the_robustness_base_triggers_every_new_rule():
    from podlint.config import settings_from_mapping
    from podlint.registry import all_rules
    from podlint.run import lint_text
    settings_ = settings_from_mapping({"select": MY_CODES, "kubernetes-version": "1.33"}, all_rules())
    codes = {f.code for f in lint_text(json.dumps(ROBUST_BASE), settings_)}
    assert {"PL007", "PL008", "PL009", "PL010", "PL011", "PL012", "PL212"} <= codes
