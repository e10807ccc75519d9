"""What the doc examples and fixtures cannot show: severities, version-dependent
numbers, options, cross-file settling, and hostile field types.

Rules covered: PL003, PL004, PL301-PL306, PL401, PL402, PL507.
"""
from __future__ import annotations

import textwrap

import pytest

from podlint.config import Settings, settings_from_mapping
from podlint.registry import all_rules
from podlint.run import lint_paths, lint_text
from tests.helpers import lint_only

MY_RULES = ("PL003", "PL004", "PL301", "PL302", "PL303", "PL304", "PL305", "PL306", "PL401",
            "PL402", "PL507")


def deployment(containers: str, pod_extra: str = "", api_version: str = "apps/v1") -> str:
    """A Deployment around an indented `containers:` block (YAML list items)."""
    body = textwrap.indent(textwrap.dedent(containers).strip("\n"), " " * 8)
    extra = textwrap.indent(textwrap.dedent(pod_extra).strip("\n"), " " * 6)
    return (f"apiVersion: {api_version}\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n"
            "  selector: {matchLabels: {app: web}}\n  template:\n"
            "    metadata: {labels: {app: web}}\n    spec:\n"
            + (extra + "\n" if pod_extra else "") + "      containers:\n" + body + "\n")


def findings(code: str, text: str, **config):
    config = {k.replace("_", "-"): v for k, v in config.items()}
    return [f for f in lint_only(code, text, config) if f.code in (code, "PL000")]


# ----------------------------------------------------------------------------- PL003

def test_pl003_names_the_schema_used_for_an_old_target():
    text = deployment("- {name: app, image: nginx, imagePullPolicyy: Always}")
    [finding] = findings("PL003", text, kubernetes_version="1.22")
    assert finding.message == ('spec.template.spec.containers[0].imagePullPolicyy: unknown field '
                               '"imagePullPolicyy" (Kubernetes 1.25 schema: the oldest podlint '
                               'ships; target 1.22)')
    assert (finding.location.line, finding.location.column) == (10, 37)
    [same] = findings("PL003", text, kubernetes_version="1.30")
    assert same.message.endswith('"imagePullPolicyy"')


def test_pl003_missing_field_points_at_the_key_that_lacks_it():
    text = ("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: report}\nspec:\n"
            "  jobTemplate:\n    spec:\n      template:\n        spec:\n"
            "          restartPolicy: Never\n          containers: [{name: a, image: busybox}]\n")
    messages = [(f.location.line, f.location.column, f.message) for f in findings("PL003", text)]
    assert messages == [(4, 1, 'spec: missing required field "schedule"')]


def test_pl003_patches_lack_required_fields_by_design():
    patch = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
             "  template:\n    spec:\n      containers:\n        - name: app\n"
             "          resources: {limits: {memory: 1Gi}}\n          imagePullPolicyy: Always\n")
    assert [f.message for f in findings("PL003", patch)] == [
        'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"']
    whole = patch.replace("- name: app", "- name: app\n          image: nginx")
    # No selector and no template labels: a Kustomize base that commonLabels completes.
    assert [f.message for f in findings("PL003", whole)] == [
        'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"']
    labelled = whole.replace("  template:\n", "  template:\n    metadata: {labels: {app: web}}\n")
    assert [f.message for f in findings("PL003", labelled)] == [
        'spec: missing required field "selector"',
        'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"']
    directive = ("apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
                 "  ports:\n    - {$patch: delete, port: 80}\n")
    assert findings("PL003", directive) == []


def test_pl003_is_off_with_no_schema():
    text = deployment("- {name: app, image: nginx, imagePullPolicyy: Always}")
    settings = settings_from_mapping({"select": ["PL003"], "schema": False}, all_rules())
    assert [f for f in lint_text(text, settings) if f.code == "PL003"] == []


def test_pl003_hint_names_kubectl_explain_of_the_parent_for_unknown_fields():
    text = deployment("- {name: app, image: nginx, livenesProbe: {}}")
    [finding] = findings("PL003", text)
    assert finding.hint.startswith("fix the spelling or remove the field; `kubectl explain "
                                   "deployment.spec.template.spec.containers`")


# ----------------------------------------------------------------------------- PL004

def test_pl004_removed_is_an_error_deprecated_a_warning():
    text = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: report}\n"
    [removed] = findings("PL004", text)
    assert removed.severity == "error"
    assert removed.message == ("CronJob/report uses batch/v1beta1, which Kubernetes has not served "
                               "since 1.25 (target 1.35): use batch/v1")
    assert (removed.location.line, removed.location.column) == (1, 13)
    [deprecated] = findings("PL004", text, kubernetes_version="1.24")
    assert deprecated.severity == "warning"
    assert deprecated.message == ("CronJob/report uses batch/v1beta1, deprecated since 1.21 and no "
                                  "longer served from 1.25 (target 1.24): use batch/v1")
    assert findings("PL004", text, kubernetes_version="1.20") == []


def test_pl004_hint_says_what_changes_for_apps_v1():
    text = deployment("- {name: app, image: nginx}", api_version="apps/v1beta1")
    [finding] = findings("PL004", text)
    assert finding.hint.startswith("change apiVersion to apps/v1; apps/v1 requires spec.selector")


def test_pl004_severity_override_from_config_wins():
    text = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: report}\n"
    [finding] = findings("PL004", text, rules={"PL004": {"severity": "info"}})
    assert finding.severity == "info"


# ----------------------------------------------------------------------------- PL301

def test_pl301_service_in_another_file_makes_a_portless_container_serve(tmp_path):
    (tmp_path / "deploy.yaml").write_text(deployment('- {name: app, image: "example/worker:1"}'))
    settings = Settings(select=("PL301",))
    assert lint_paths([str(tmp_path)], settings, jobs=1).findings == []
    (tmp_path / "service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
        "  ports: [{port: 80}]\n")
    [finding] = lint_paths([str(tmp_path)], settings, jobs=1).findings
    assert (finding.code, finding.location.line, finding.container) == ("PL301", 10, "app")
    assert finding.message.startswith(
        f'container "app" receives traffic from Service "web" ({tmp_path / "service.yaml"}:3) '
        "but has no preStop hook")


SERVICE = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n"
           "  selector: {app: web}\n  ports: [{port: 80}]\n")


def test_pl301_hint_uses_exec_sleep_before_the_native_action():
    text = deployment("- {name: app, image: nginx, ports: [{containerPort: 80}]}") + SERVICE
    [new] = findings("PL301", text)
    assert new.hint.startswith("add lifecycle.preStop: {sleep: {seconds: 5}}")
    [old] = findings("PL301", text, kubernetes_version="1.29")
    assert old.hint.startswith('add lifecycle.preStop: {exec: {command: ["sleep", "5"]}}')


# ----------------------------------------------------------------------------- PL302 / PL303

SLEEP_60 = """
- name: app
  image: nginx
  lifecycle:
    preStop:
      exec: {command: ["sleep", "60"]}
"""


def test_pl302_message_follows_the_kubelet_version():
    [new] = findings("PL302", deployment(SLEEP_60))
    assert new.message == ("preStop sleeps 60 s but terminationGracePeriodSeconds is 30 s: the "
                           "container is SIGKILLed at 32 s without handling SIGTERM")
    assert (new.location.line, new.location.column) == (14, 15)
    [old] = findings("PL302", deployment(SLEEP_60), kubernetes_version="1.27")
    assert old.message == ("preStop sleeps 60 s but terminationGracePeriodSeconds is 30 s: the "
                           "kubelet abandons the hook at 30 s and SIGKILLs at 60 s (below 1.28 "
                           "the grace starts again)")


def test_pl302_native_sleep_longer_than_grace_is_rejected_by_the_api():
    text = deployment("- {name: app, image: nginx, lifecycle: {preStop: {sleep: {seconds: 45}}}}")
    [finding] = findings("PL302", text)
    assert finding.message.endswith("; the API server rejects a sleep action longer than the grace")
    # Below 1.30 the kubelet returns from a sleep action at once: nothing to report.
    assert findings("PL302", text, kubernetes_version="1.29") == []


def test_pl303_option_and_old_kubelets():
    text = deployment("- {name: app, image: nginx, lifecycle: {preStop: {sleep: {seconds: 20}}}}")
    assert findings("PL303", text) == []
    [strict] = findings("PL303", text, rules={"short-shutdown-window": {"headroom-seconds": 10.5}})
    assert strict.message == ("preStop sleeps 20 s of the 30 s grace: the hook ends at 20 s and "
                              "SIGKILL comes at 30 s, leaving the app 10 s to shut down "
                              "(headroom 10.5 s)")
    assert strict.hint == ("raise terminationGracePeriodSeconds to at least 30.5, or shorten the "
                           "preStop to at most 19.5 s")
    tight = deployment("- {name: app, image: nginx, lifecycle: {preStop: {sleep: {seconds: 29}}}}")
    assert len(findings("PL303", tight)) == 1
    # Below 1.30 a sleep action returns at once; below 1.28 the whole grace starts
    # again after the hook: 30 s of headroom either way.
    assert findings("PL303", tight, kubernetes_version="1.29") == []
    exec_tight = deployment('- {name: app, image: nginx, lifecycle: {preStop: {exec: '
                            '{command: ["sleep", "29"]}}}}')
    assert len(findings("PL303", exec_tight, kubernetes_version="1.28")) == 1
    assert findings("PL303", exec_tight, kubernetes_version="1.27") == []


# ----------------------------------------------------------------------------- PL305 / PL306

def test_pl306_version_thresholds():
    text = deployment('- {name: app, image: nginx, lifecycle: {preStop: {exec: '
                      '{command: ["sleep", "5"]}}}}')
    assert findings("PL306", text, kubernetes_version="1.29") == []
    [finding] = findings("PL306", text, kubernetes_version="1.30")
    assert finding.message == ('preStop of container "app" execs `sleep 5`, which needs a sleep '
                               "binary in the image; Kubernetes 1.30 has the native sleep action")
    assert finding.hint == "replace the exec with preStop: {sleep: {seconds: 5}}"
    zero = text.replace('"5"', '"0"')
    assert findings("PL306", zero, kubernetes_version="1.32") == []
    assert len(findings("PL306", zero, kubernetes_version="1.33")) == 1


@pytest.mark.parametrize("command,seconds", [
    (["sleep", "5"], 5), (["/bin/sleep", "5s"], 5), (["sh", "-c", "sleep 2m"], 120),
    (["/bin/bash", "-c", "exec sleep 7;"], 7), (["busybox", "sleep", "3"], 3),
    (["busybox", "sh", "-c", "sleep 3"], 3),
    (["sh", "-c", "sleep 5 && kill 1"], None), (["sleep"], None), (["sleep", "5", "6"], None),
    (["sleep", "1.5"], None), (["sleep", "infinity"], None), (["nginx", "-s", "quit"], None),
    ([], None),
])
def test_pl306_pure_sleep(command, seconds):
    from podlint.rules.pl306_prestop_sleep_needs_binary import pure_sleep
    assert pure_sleep(tuple(command)) == seconds


def test_pl305_pod_with_restart_policy_always_is_long_running():
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Always\n"
            "  containers:\n    - {name: a, image: x, lifecycle: {preStop: {sleep: {seconds: 1}}}}\n")
    assert findings("PL305", text) == []
    assert len(findings("PL305", text.replace("Always", "Never"))) == 1


# ----------------------------------------------------------------------------- PL507

def test_pl507_is_opt_in_and_settles_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(deployment(
        "- name: app\n  image: x\n  envFrom: [{configMapRef: {name: settings}}]"))
    default_run = lint_paths([str(tmp_path)], Settings(), jobs=1)
    assert "PL507" not in {f.code for f in default_run.findings}
    settings = Settings(select=("PL507",))
    [finding] = lint_paths([str(tmp_path)], settings, jobs=1).findings
    assert finding.message == 'ConfigMap "settings" (envFrom) is not defined in the linted files'
    (tmp_path / "b.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
    assert lint_paths([str(tmp_path)], settings, jobs=1).findings == []


# ----------------------------------------------------------------------------- robustness

HOSTILE_VALUES = ["null", "''", "'x'", "[]", "[1, 2]", "{}", "{a: b}", "true", "-5", "0",
                  "99999999999999999999999999", "1.5", "-1e308"]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_no_rule_crashes_on_wrong_types(value):
    fields = ["terminationGracePeriodSeconds", "restartPolicy", "serviceAccountName"]
    container_fields = ["terminationMessagePath", "terminationMessagePolicy", "ports", "envFrom",
                        "lifecycle", "restartPolicy", "volumeMounts", "name", "env"]
    texts = []
    for field in fields:
        texts.append(deployment("- {name: app, image: x, ports: [{containerPort: 80}]}",
                                f"{field}: {value}"))
    for field in container_fields:
        texts.append(deployment(f"- {{name: app, image: x, {field}: {value}}}"))
    for hook in ("preStop", "postStart"):
        texts.append(deployment(f"- {{name: app, image: x, lifecycle: {{{hook}: {value}}}}}"))
        for action in ("exec", "sleep", "httpGet"):
            texts.append(deployment(
                f"- {{name: app, image: x, lifecycle: {{{hook}: {{{action}: {value}}}}}}}"))
        texts.append(deployment(
            f"- {{name: app, image: x, lifecycle: {{{hook}: {{exec: {{command: {value}}}}}}}}}"))
        texts.append(deployment(
            f"- {{name: app, image: x, lifecycle: {{{hook}: {{sleep: {{seconds: {value}}}}}}}}}"))
    texts.append(f"apiVersion: {value}\nkind: {value}\nmetadata: {value}\n")
    texts.append(f"apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {{name: {value}}}\n")
    texts.append(f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {{containers: {value}}}\n")
    for version in ("1.27", "1.35"):
        settings = settings_from_mapping({"select": list(MY_RULES), "kubernetes-version": version},
                                         all_rules())
        for text in texts:
            crashed = [f for f in lint_text(text, settings) if f.code == "PL000"]
            assert crashed == [], (text, crashed)
