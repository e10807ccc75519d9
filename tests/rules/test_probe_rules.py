"""Startup and probe rules (PL101-PL105, PL201-PL211) beyond their fixtures:
exact messages and positions, version and option edges, cross-file serving,
the exec-command parser of PL210, and robustness against wrong types anywhere."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podlint.config import settings_from_mapping
from podlint.registry import all_rules
from podlint.rules.pl210_exec_shell_syntax import _problem
from podlint.run import lint_paths
from tests.helpers import ROOT, lint_only

CODES = ["PL101", "PL102", "PL103", "PL104", "PL105", "PL201", "PL202", "PL203", "PL204",
         "PL205", "PL206", "PL207", "PL208", "PL209", "PL210", "PL211"]


def findings(code: str, text: str, config: dict | None = None):
    return [f for f in lint_only(code, text, config) if f.code in (code, "PL000")]


# --------------------------------------------------------------------------- messages

STATEFULSET_600 = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 600
      containers:
        - name: db
          image: example/db:1.0
          livenessProbe:
            tcpSocket: {port: 5432}
"""


def test_pl211_message_gives_failure_window_and_grace_from_the_timeline():
    [finding] = findings("PL211", STATEFULSET_600)
    assert (finding.location.line, finding.location.column) == (14, 11)
    assert finding.message == (
        'livenessProbe of container "db" has no terminationGracePeriodSeconds of its own and the '
        "pod's is 600 s: a hung container is restarted only after 3 checks 10 s apart have each timed "
        "out after 1 s (21 to 31 s after it hangs) plus the 600 s grace period: 621 to 631 s after it hangs")
    assert finding.severity == "warning" and finding.container == "db"
    assert finding.workload == "StatefulSet/db"


def test_pl211_failure_window_is_f_minus_one_periods_to_f_periods_plus_timeout():
    """Issue 10: period 10, 6 failures, timeout 3, grace 300 was reported as "60 s of
    failed checks plus the 300 s grace (350 to 363 s)": the restart is decided 53 to
    63 s after a hang (lifecycle-semantics 2.4: each hung check waits its 3 s timeout;
    review seed 20261204 S059), then the grace runs."""
    text = STATEFULSET_600.replace("600", "300").replace(
        "tcpSocket: {port: 5432}", "tcpSocket: {port: 5432}\n            periodSeconds: 10\n"
        "            failureThreshold: 6\n            timeoutSeconds: 3")
    [finding] = findings("PL211", text)
    assert finding.message == (
        'livenessProbe of container "db" has no terminationGracePeriodSeconds of its own and the '
        "pod's is 300 s: a hung container is restarted only after 6 checks 10 s apart have each timed "
        "out after 3 s (53 to 63 s after it hangs) plus the 300 s grace period: 353 to 363 s after it hangs")


def test_pl211_checks_that_time_out_past_the_period_follow_one_another():
    """A run that takes the whole timeout holds up the next tick: with timeout 10 and
    period 5 the hung checks are 10 s apart, not 5 (the windows use max(p, T))."""
    text = STATEFULSET_600.replace("600", "300").replace(
        "tcpSocket: {port: 5432}", "tcpSocket: {port: 5432}\n            periodSeconds: 5\n"
        "            timeoutSeconds: 10")
    [finding] = findings("PL211", text)
    assert "after 3 checks one after another have each timed out after 10 s (30 to 35 s after" \
        in finding.message, finding.message


def test_pl104_hint_keeps_the_work_a_sleep_waits_for():
    """Review seed 20261206, S032-S034: redis-ha's sentinel postStart sleeps 30 s so that
    `sentinel reset` finds sentinel up; "drop the sleep" would break it."""
    text = (ROOT / "tests" / "fixtures" / "rules" / "PL104" / "fail_post_start_sleeps.yaml").read_text()
    hints = {f.container: f.hint for f in findings("PL104", text)}
    assert hints["sentinel"].startswith("the sleep waits for the app before the hook's work: run "
                                        "both in the background (`(sleep 30; ...) &`)")
    assert hints["redis"].startswith("drop the sleep")           # the native sleep action
    assert hints["vault-agent"].startswith("drop the sleep")     # a bare /bin/sleep


def test_pl211_is_silent_where_probe_grace_is_not_available():
    assert findings("PL211", STATEFULSET_600, {"kubernetes-version": "1.24"}) == []
    assert len(findings("PL211", STATEFULSET_600, {"kubernetes-version": "1.25"})) == 1


def test_pl203_hint_fits_a_shared_window_that_is_already_long():
    """Review seed 20261204, S045 (mysql-router: both probes 60 failures 30 s apart):
    raising liveness's threshold would delay restarts past half an hour; the fix is a
    faster readiness. The numbers are explain's liveness-restart window."""
    text = (ROOT / "tests" / "fixtures" / "rules" / "PL203" / "fail_slow_shared_window.yaml").read_text()
    [finding] = findings("PL203", text)
    assert finding.hint == (
        "both act only 1770 to 1830 s after the check starts failing: lower the readinessProbe's "
        "failureThreshold (or periodSeconds) so traffic stops within seconds; the livenessProbe then "
        "keeps the longer window for restarts")
    # Short shared windows keep the usual advice (the docs' pattern): 3 x 10 s, and 3 x 30 s
    # (60 s at the earliest, not above the minute).
    short = text.replace("failureThreshold: 60", "failureThreshold: 3").replace("periodSeconds: 30",
                                                                                "periodSeconds: 10")
    for variant in (short, text.replace("failureThreshold: 60", "failureThreshold: 3")):
        [finding] = findings("PL203", variant)
        assert finding.hint == ("give the livenessProbe a higher failureThreshold (or a cheaper check) "
                                "than the readinessProbe")


def test_pl211_threshold_option():
    assert findings("PL211", STATEFULSET_600, {"rules": {"PL211": {"grace-threshold-seconds": 600}}}) == []
    assert len(findings("PL211", STATEFULSET_600,
                        {"rules": {"liveness-restart-waits-for-grace": {"grace-threshold-seconds": 599}}})) == 1


PORTS = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      ports: [{name: http, containerPort: 8080}]
      readinessProbe: {httpGet: {path: /, port: htp}}
      livenessProbe: {httpGet: {path: /, port: 8008}}
"""


def test_pl207_named_is_error_at_the_port_value_a_lone_number_gives_nothing():
    got = [(f.location.line, f.location.column, f.severity) for f in findings("PL207", PORTS)]
    assert got == [(9, 49, "error")]
    contradicted = PORTS.replace("port: htp}}", "port: http}}")
    got = [(f.location.line, f.location.column, f.severity) for f in findings("PL207", contradicted)]
    assert got == [(10, 48, "warning")]


def test_pl207_severity_override_applies_to_both_kinds():
    got = {f.severity for f in findings("PL207", PORTS, {"rules": {"PL207": {"severity": "info"}}})}
    assert got == {"info"}


def test_pl204_message_when_timeout_exceeds_period():
    text = PORTS.replace("livenessProbe: {httpGet: {path: /, port: 8008}}",
                         "livenessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 5, timeoutSeconds: 10}")
    [finding] = findings("PL204", text)
    assert finding.message == (
        'livenessProbe of container "app" has timeoutSeconds 10 and periodSeconds 5: a check that '
        "hangs holds back the next one, so 3 failures take 30 s, not 15 s")
    assert (finding.location.line, finding.location.column) == (10, 89)


def test_pl205_strict_before_edge_with_assumption():
    text = """\
apiVersion: v1
kind: Pod
metadata:
  name: api
  annotations: {podlint/assume: "api.startup=%s"}
spec:
  containers:
    - name: api
      image: example/api:1.0
      livenessProbe: {httpGet: {path: /, port: 8080}, initialDelaySeconds: 60}
"""
    assert findings("PL205", text % "80s") == []             # restart at 80 s, app up at 80 s
    [finding] = findings("PL205", text % "81s")
    assert "can restart it 80 s after it starts" in finding.message
    assert "before the app is up at 81 s (api.startup, assumed)" in finding.message


def test_pl205_and_pl206_take_the_assumption_from_the_command_line_settings():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
    - name: api
      image: example/api:1.0
      startupProbe: {httpGet: {path: /, port: 8080}, failureThreshold: 10}
"""
    assert findings("PL206", text) == []
    [finding] = findings("PL206", text, {"assume": {"api.startup": "91s"}})
    assert "guarantees only 90 s" in finding.message and "100 s at most" in finding.message
    assert findings("PL206", text, {"assume": {"api.startup": "90s"}}) == []


def test_pl105_default_deadline_and_location_on_explicit_value():
    text = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: llm}
spec:
  progressDeadlineSeconds: 900
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm}}
    spec:
      containers:
        - name: server
          image: example/llm:1.0
          startupProbe: {httpGet: {path: /, port: 8000}, periodSeconds: 60, failureThreshold: 17}
"""
    [finding] = findings("PL105", text)
    assert (finding.location.line, finding.location.column) == (5, 28)
    assert "may legitimately take 960 s" in finding.message
    assert "progressDeadlineSeconds is 900:" in finding.message
    assert findings("PL105", text.replace("failureThreshold: 17", "failureThreshold: 16")) == []


# --------------------------------------------------------------------------- serving across files

def _lint_dir(tmp_path, code):
    settings = settings_from_mapping({"select": [code]}, all_rules())
    return lint_paths([str(tmp_path)], settings, jobs=1).findings


def test_pl201_service_in_another_file_makes_a_portless_container_serve(tmp_path):
    (tmp_path / "deploy.yaml").write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, version: v2}}
    spec:
      containers:
        - name: api
          image: example/api:1.0
""")
    assert _lint_dir(tmp_path, "PL201") == []
    (tmp_path / "svc.yaml").write_text("""\
apiVersion: v1
kind: Service
metadata: {name: api, namespace: other}
spec: {selector: {app: api}, ports: [{port: 80}]}
""")
    assert _lint_dir(tmp_path, "PL201") == []                  # another namespace
    (tmp_path / "svc.yaml").write_text("""\
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80}]}
""")
    [finding] = _lint_dir(tmp_path, "PL201")
    assert finding.location.path.endswith("deploy.yaml")
    assert (finding.location.line, finding.location.column) == (10, 11)
    assert finding.message == (
        f'container "api" receives traffic from Service "api" ({tmp_path / "svc.yaml"}:3) but has '
        "no readinessProbe: the pod joins its endpoints as soon as the container is running, "
        "before the app listens")


# --------------------------------------------------------------------------- PL210 parser

FLAGGED = [
    ["curl", "-f", "localhost", "|", "grep", "ok"],
    ["curl", "-f", "localhost", "&&", "echo", "ok"],
    ["touch", "/tmp/a", ";", "rm", "/tmp/b"],
    ["redis-cli", "ping", "2>&1"],
    ["redis-cli", "-a", "${REDIS_PASSWORD}", "ping"],
    ["mysql", "-p$MYSQL_PASSWORD", "-e", "SELECT 1"],
    ["nginx -s quit"],
    ["/bin/sh -c", "echo hi"],
    ["sh", "-c", "nginx", "-s", "quit"],
    ["bash", "-ec", "curl", "localhost"],
    ["sh", "curl -f localhost"],
    ["cat", "~/ready"],
    ["rm", "-f", "/tmp/*.pid"],
    ["wget", "-qO-", "http://localhost/health || exit 1"],
    ["env", "A=1", "sh", "-c", "echo", "hi"],
    ["echo", "`date`"],
]
CLEAN = [
    ["sh", "-c", "a && b"],
    ["/bin/bash", "-c", "curl -f localhost | grep ok"],
    ["/bin/sh", "-o", "pipefail", "-c", "a | b"],
    ["env"],
    ["echo", "$(POD_NAME)"],
    ["echo", "$$HOME"],
    ["sh", "-c", 'exec "$@"', "sh", "nginx", "-s", "quit"],
    ["sh", "-c", "echo $0", "hello"],
    ["sh", "/scripts/check.sh"],
    ["python3", "-c", "import sys; sys.exit(0)"],
    ["psql", "-c", "SELECT 1; SELECT 2"],
    ["awk", "{print $1}", "/proc/loadavg"],
    ["jq", "-e", ".status == \"ok\"", "/tmp/status.json"],
    ["grep", "-qE", "ok$|ready", "/tmp/status"],
    ["find", "/tmp", "-name", "*.lock", "-exec", "rm", "{}", ";"],
    ["expr", "1", "|", "0"],
    ["curl", "-f", "http://localhost:8080/health?x=1&y=2"],
    ["timeout", "5", "sh", "-c", "curl localhost || exit 1"],
    ["grpc_health_probe", "-addr=:8080"],
    ["curl", "http://localhost/bash"],
    ["/bin/busybox", "sh", "-c", "wget -q -O- localhost && true"],
    ["sleep", "5"],
    [" ", "x"],
]


@pytest.mark.parametrize("argv", FLAGGED, ids=lambda a: json.dumps(a)[:40])
def test_pl210_flags(argv):
    assert _problem(tuple(argv)) is not None


@pytest.mark.parametrize("argv", CLEAN, ids=lambda a: json.dumps(a)[:40])
def test_pl210_leaves_alone(argv):
    if not argv[0].strip():
        return                                  # check() skips blank binaries before parsing
    assert _problem(tuple(argv)) is None


def test_pl210_points_at_the_offending_element_and_suggests_a_shell():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      livenessProbe:
        exec:
          command:
            - curl
            - -f
            - localhost
            - "&&"
            - echo
"""
    [finding] = findings("PL210", text)
    assert (finding.location.line, finding.location.column) == (14, 15)
    assert finding.hint == 'run it in a shell: ["sh", "-c", "curl -f localhost && echo"]'


# --------------------------------------------------------------------------- cold start

def test_startup_and_probe_rules_do_not_import_networkx(tmp_path):
    """PL101 answers from the model: a run of PL1/PL2 must not pay for networkx."""
    manifest = tmp_path / "pod.yaml"
    manifest.write_text((ROOT / "tests/fixtures/rules/PL101/fail_init_output_unread.yaml").read_text())
    code = (
        "import sys\n"
        "from podlint.config import settings_from_mapping\n"
        "from podlint.registry import all_rules\n"
        "from podlint.run import lint_paths\n"
        "s = settings_from_mapping({'select': ['PL1', 'PL2']}, all_rules())\n"
        f"r = lint_paths([{str(manifest)!r}], s, jobs=1)\n"
        "assert any(f.code == 'PL101' for f in r.findings), r.findings\n"
        "print('networkx' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- robustness

BASE = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "annotations": {"podlint/assume": "app.startup=90s"}},
    "spec": {
        "progressDeadlineSeconds": 600,
        "minReadySeconds": 10,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "terminationGracePeriodSeconds": 600,
                "initContainers": [
                    {"name": "init", "image": "busybox", "volumeMounts": [{"name": "work", "mountPath": "/w"}],
                     "livenessProbe": {"exec": {"command": ["cat", "/x"]}}},
                    {"name": "side", "image": "envoy", "restartPolicy": "Always",
                     "ports": [{"name": "admin", "containerPort": 9901}],
                     "lifecycle": {"postStart": {"sleep": {"seconds": 5}}}},
                ],
                "containers": [
                    {"name": "app", "image": "nginx",
                     "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                     "startupProbe": {"httpGet": {"path": "/", "port": "http"}, "failureThreshold": 70,
                                      "periodSeconds": 10, "successThreshold": 1},
                     "livenessProbe": {"httpGet": {"path": "/", "port": 8080, "httpHeaders": [
                         {"name": "X", "value": "y"}]}, "timeoutSeconds": 10, "periodSeconds": 5,
                         "terminationGracePeriodSeconds": 10},
                     "readinessProbe": {"tcpSocket": {"port": "http"}, "failureThreshold": 6},
                     "lifecycle": {"postStart": {"exec": {"command": ["sh", "-c", "sleep 3"]}},
                                   "preStop": {"exec": {"command": ["nginx -s quit"]}}}},
                ],
                "volumes": [{"name": "work", "emptyDir": {}}],
            },
        },
    },
}

PATHS = [
    ("spec", "progressDeadlineSeconds"), ("spec", "minReadySeconds"),
    ("metadata", "annotations", "podlint/assume"),
    ("spec", "template", "spec", "terminationGracePeriodSeconds"),
    ("spec", "template", "spec", "initContainers", 0, "volumeMounts"),
    ("spec", "template", "spec", "initContainers", 0, "volumeMounts", 0, "name"),
    ("spec", "template", "spec", "initContainers", 0, "livenessProbe"),
    ("spec", "template", "spec", "initContainers", 1, "restartPolicy"),
    ("spec", "template", "spec", "initContainers", 1, "lifecycle", "postStart", "sleep", "seconds"),
    ("spec", "template", "spec", "initContainers", 1, "ports", 0, "containerPort"),
    ("spec", "template", "spec", "containers", 0, "name"),
    ("spec", "template", "spec", "containers", 0, "ports", 0, "name"),
    ("spec", "template", "spec", "containers", 0, "ports", 0, "protocol"),
    ("spec", "template", "spec", "containers", 0, "startupProbe", "failureThreshold"),
    ("spec", "template", "spec", "containers", 0, "startupProbe", "periodSeconds"),
    ("spec", "template", "spec", "containers", 0, "startupProbe", "successThreshold"),
    ("spec", "template", "spec", "containers", 0, "startupProbe", "httpGet"),
    ("spec", "template", "spec", "containers", 0, "startupProbe", "httpGet", "port"),
    ("spec", "template", "spec", "containers", 0, "livenessProbe", "timeoutSeconds"),
    ("spec", "template", "spec", "containers", 0, "livenessProbe", "terminationGracePeriodSeconds"),
    ("spec", "template", "spec", "containers", 0, "livenessProbe", "httpGet", "httpHeaders"),
    ("spec", "template", "spec", "containers", 0, "livenessProbe", "httpGet", "host"),
    ("spec", "template", "spec", "containers", 0, "readinessProbe", "tcpSocket", "port"),
    ("spec", "template", "spec", "containers", 0, "readinessProbe", "initialDelaySeconds"),
    ("spec", "template", "spec", "containers", 0, "lifecycle", "postStart", "exec", "command"),
    ("spec", "template", "spec", "containers", 0, "lifecycle", "preStop", "exec", "command", 0),
    ("spec", "template", "spec", "containers", 0, "lifecycle"),
    ("spec", "template", "spec", "volumes", 0, "emptyDir"),
]

values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
              st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
              st.sampled_from(["http", "8080", "sleep 10", "-1", "${PORT}", "Always", "UDP", ""])),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=6), children, max_size=3)),
    max_leaves=6)


def _set(document, path, value):
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), values), min_size=1, max_size=4))
def test_no_rule_crashes_whatever_the_field_types(changes):
    document = copy.deepcopy(BASE)
    for path, value in sorted(changes, key=lambda c: len(c[0])):
        try:
            _set(document, path, value)
        except (KeyError, IndexError, TypeError):
            continue                            # an earlier change replaced a parent
    text = json.dumps(document, allow_nan=True)
    config = {"select": CODES}
    settings_ = settings_from_mapping(config, all_rules())
    from podlint.run import lint_text
    crashed = [f for f in lint_text(text, settings_) if f.code == "PL000"]
    assert crashed == []


def test_the_base_manifest_of_the_robustness_test_triggers_many_rules():
    from podlint.run import lint_text
    settings_ = settings_from_mapping({"select": CODES}, all_rules())
    codes = {f.code for f in lint_text(json.dumps(BASE), settings_)}
    assert {"PL101", "PL102", "PL103", "PL104", "PL105", "PL204", "PL210", "PL211"} <= codes


def test_pl207_numeric_ports_option_keeps_only_the_errors():
    contradicted = PORTS.replace("port: htp}}", "port: http}}")
    assert [f.severity for f in findings("PL207", contradicted)] == ["warning"]
    got = [f.severity for f in findings("PL207", contradicted + PORTS[PORTS.index("    - name: app"):]
                                        .replace("name: app", "name: app2"),
                                        {"rules": {"PL207": {"numeric-ports": False}}})]
    assert got == ["error"]
