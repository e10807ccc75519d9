"""Tests for podlint.schema (Kubernetes JSON-schema validation with positions)."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.timestamp import TimeStamp

from podlint.schema import (
    SchemaViolation,
    bundled_versions,
    schema_version_for,
    validate_document,
)

K8S = "1.33"


def load(text: str):
    y = YAML()
    y.allow_duplicate_keys = True
    return y.load(textwrap.dedent(text))


def check(text: str, version: str = K8S):
    doc = load(text)
    return validate_document(doc, doc["apiVersion"], doc["kind"], version)


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
  annotations:
    built-on: 2024-01-01
    built-at: 2024-01-01T10:00:00Z
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          livenessProbe:
            httpGet:
              path: /healthz
              port: 80
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 1, memory: 128Mi}
"""


def one(violations):
    assert violations is not None
    assert len(violations) == 1, violations
    return violations[0]


# --------------------------------------------------------------------------
# valid documents
# --------------------------------------------------------------------------


def test_valid_deployment_has_no_violations():
    assert check(DEPLOYMENT) == []


def test_valid_deployment_in_every_bundled_version():
    for version in bundled_versions():
        assert check(DEPLOYMENT, version) == [], version


def test_unquoted_dates_in_annotations_count_as_strings():
    doc = load(DEPLOYMENT)
    annotations = doc["metadata"]["annotations"]
    assert type(annotations["built-on"]) is datetime.date
    assert isinstance(annotations["built-at"], (TimeStamp, datetime.datetime))
    assert validate_document(doc, "apps/v1", "Deployment", K8S) == []


def test_plain_dict_without_positions_is_accepted():
    data = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a", "image": "x", "livenesProbe": {}}]},
    }
    assert validate_document(data, "v1", "Pod", K8S) == [
        SchemaViolation("spec.containers[0].livenesProbe", 'unknown field "livenesProbe"', 1, 1)
    ]


# --------------------------------------------------------------------------
# the common violations, with exact positions
# --------------------------------------------------------------------------


def test_misspelt_field_points_at_the_key():
    text = DEPLOYMENT.replace("          livenessProbe:", "          livenesProbe:")
    v = one(check(text))
    assert v == SchemaViolation(
        json_path="spec.template.spec.containers[0].livenesProbe",
        message='unknown field "livenesProbe"',
        line=29,
        column=11,
    )


def test_string_port_points_at_the_value():
    text = DEPLOYMENT.replace("containerPort: 80", 'containerPort: "80"')
    v = one(check(text))
    assert v == SchemaViolation(
        json_path="spec.template.spec.containers[0].ports[0].containerPort",
        message='expected integer, got string "80"',
        line=28,
        column=30,
    )


def test_missing_selector_points_at_the_spec_mapping():
    text = DEPLOYMENT.replace("  selector:\n    matchLabels:\n      app: web\n", "")
    v = one(check(text))
    # the mapping that lacks the field starts at its first key (replicas: 2)
    assert v == SchemaViolation("spec", 'missing required field "selector"', 11, 3)


def test_missing_spec_at_the_root():
    # Deployment.spec is required only in the 1.37 schema (not in 1.25-1.36)
    text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
    assert check(text, "1.36") == []
    v = one(check(text, "1.37"))
    assert v == SchemaViolation("", 'missing required field "spec"', 1, 1)


def test_python_bool_is_not_an_integer():
    v = one(check(DEPLOYMENT.replace("replicas: 2", "replicas: true")))
    assert v == SchemaViolation("spec.replicas", "expected integer, got boolean true", 11, 13)


def test_int_or_string_message():
    v = one(check(DEPLOYMENT.replace("maxSurge: 25%", "maxSurge: [1]")))
    assert v == SchemaViolation(
        "spec.strategy.rollingUpdate.maxSurge", "expected an integer or a string, got a list", 17, 17
    )


def test_null_int_or_string_and_quantity_are_accepted():
    # Kubernetes treats null as unset; the schema's oneOf rejects null (it
    # matches both branches), podlint does not report it.
    text = DEPLOYMENT.replace("maxUnavailable: 0", "maxUnavailable: null").replace(
        "{cpu: 1, memory: 128Mi}", "{cpu: 1, memory: null}"
    )
    assert check(text) == []


def test_quantity_message():
    v = one(check(DEPLOYMENT.replace("{cpu: 1, memory: 128Mi}", "{cpu: true, memory: 128Mi}")))
    assert v == SchemaViolation(
        "spec.template.spec.containers[0].resources.limits.cpu",
        "expected a number or a string, got boolean true",
        35,
        27,
    )


def test_all_violations_sorted_and_deduplicated():
    text = (
        DEPLOYMENT.replace("replicas: 2", "replicas: two")
        .replace("          livenessProbe:", "          livenesProbe:")
        .replace("containerPort: 80", "containerPort: 80\n              hostIP: [x]\n              colour: red")
    )
    got = check(text)
    assert [(v.line, v.column, v.message) for v in got] == [
        (11, 13, 'expected integer, got string "two"'),
        (29, 23, "expected string, got a list"),
        (30, 15, 'unknown field "colour"'),
        (31, 11, 'unknown field "livenesProbe"'),
    ]
    assert len(set(got)) == len(got)


def test_kind_in_wrong_case_is_reported_by_the_kind_enum():
    text = DEPLOYMENT.replace("kind: Deployment", "kind: deployment")
    v = one(check(text))
    assert v == SchemaViolation("kind", 'expected "Deployment", got string "deployment"', 2, 7)


def test_flow_style_positions():
    v = one(check('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: 5}]}\n'))
    assert v == SchemaViolation("spec.containers[0].image", "expected string, got integer 5", 4, 38)


def test_quoted_keys_in_path():
    v = one(check(DEPLOYMENT.replace("app.kubernetes.io/name: web", "app.kubernetes.io/name: [web]")))
    assert v.json_path == 'metadata.labels["app.kubernetes.io/name"]'
    assert (v.line, v.column) == (6, 29)


# --------------------------------------------------------------------------
# ruamel scalar types
# --------------------------------------------------------------------------


def test_ruamel_scalar_subclasses_validate_as_their_json_type():
    text = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      hostNetwork: &flag true
      terminationGracePeriodSeconds: &grace 30
      activeDeadlineSeconds: 0x1F
      containers:
        - name: a
          image: x
          resources:
            limits: {cpu: &c 1.5}
    """
    doc = load(text)
    assert isinstance(doc["spec"]["hostNetwork"], ScalarBoolean)
    assert isinstance(doc["spec"]["terminationGracePeriodSeconds"], ScalarInt)
    assert isinstance(doc["spec"]["activeDeadlineSeconds"], ScalarInt)
    assert isinstance(doc["spec"]["containers"][0]["resources"]["limits"]["cpu"], ScalarFloat)
    assert validate_document(doc, "v1", "Pod", K8S) == []


def test_anchored_boolean_is_not_an_integer_and_float_is_not_an_integer():
    text = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      terminationGracePeriodSeconds: &yes true
      activeDeadlineSeconds: 1.5
      containers: [{name: a, image: x}]
    """
    got = check(text)
    assert got == [
        SchemaViolation("spec.terminationGracePeriodSeconds", "expected integer, got boolean true", 5, 34),
        SchemaViolation("spec.activeDeadlineSeconds", "expected integer, got number 1.5", 6, 26),
    ]


def test_anchored_boolean_for_a_string_field():
    v = one(check("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: &i false}]}\n"))
    assert v.message == "expected string, got boolean false"


# --------------------------------------------------------------------------
# no schema -> None
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("example.com/v1", "Widget"),  # a custom resource
        ("apps/v1beta1", "Deployment"),  # removed apiVersion
        ("extensions/v1beta1", "Deployment"),
        ("apps.example.com/v1", "Deployment"),  # same first label as apps, other group
        ("v1", "PodSpec"),  # podspec-v1.json exists but is not a kind
        ("apps/v1", "DeploymentSpec"),
        ("v1", "../../etc"),  # path tricks
        ("v1", "pod/../pod"),
        ("../../etc/v1", "Pod"),
        ("apps/../v1", "Deployment"),
        ("apps/v1/../v1", "Deployment"),
        ("v1\x00", "Pod"),
        ("V1", "Pod"),
        ("", "Pod"),
        ("v1", ""),
        (None, "Pod"),
        ("v1", 5),
        (["v1"], "Pod"),
    ],
)
def test_no_schema_returns_none(api_version, kind):
    doc = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n")
    assert validate_document(doc, api_version, kind, K8S) is None


def test_removed_api_version_still_bundled_in_old_schema():
    # autoscaling/v2beta2 exists in the 1.25 schemas only
    text = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\nspec: {}\n"
    assert check(text, "1.25") is not None
    assert check(text, "1.26") is None


def test_known_group_file_name_alias():
    text = "apiVersion: internal.apiserver.k8s.io/v1alpha1\nkind: StorageVersion\nmetadata: {name: s}\nspec: {}\nstatus: {}\n"
    assert check(text, "1.37") == []


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("v1", "Pod"),
        ("apps/v1", "StatefulSet"),
        ("networking.k8s.io/v1", "Ingress"),
        ("autoscaling/v2", "HorizontalPodAutoscaler"),
        ("rbac.authorization.k8s.io/v1", "ClusterRole"),
        ("batch/v1", "CronJob"),
    ],
)
def test_core_and_grouped_kinds_have_schemas(api_version, kind):
    doc = load(f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n")
    assert validate_document(doc, api_version, kind, K8S) is not None


# --------------------------------------------------------------------------
# versions
# --------------------------------------------------------------------------


def test_schema_version_mapping():
    versions = bundled_versions()
    assert versions[0] == "1.25"
    assert "1.37" in versions
    assert schema_version_for("1.33") == "1.33"
    assert schema_version_for("v1.33") == "1.33"
    assert schema_version_for("1.33.7") == "1.33"
    assert schema_version_for("1.20") == versions[0]  # older than bundled -> oldest
    assert schema_version_for("1.9") == versions[0]  # numeric, not string, comparison
    assert schema_version_for("1.99") == versions[-1]  # newer -> newest
    assert schema_version_for("2.0") == versions[-1]


@pytest.mark.parametrize("bad", ["abc", "", "1", "1.x", "1.33.0.1", "../1.33", None, 1.33])
def test_schema_version_for_rejects_garbage(bad):
    with pytest.raises(ValueError):
        schema_version_for(bad)


def test_validate_document_uses_the_nearest_version():
    assert check(DEPLOYMENT, "1.20") == []
    assert check(DEPLOYMENT, "1.99") == []


# --------------------------------------------------------------------------
# hostile input
# --------------------------------------------------------------------------


def test_merged_keys_fall_back_to_the_mapping_position():
    text = """\
    apiVersion: v1
    kind: Pod
    metadata: {name: p}
    spec:
      containers:
        - &base
          name: a
          image: x
          livenesProbe: {}
        - <<: *base
          name: b
    """
    got = check(text)
    assert got == [
        SchemaViolation("spec.containers[0].livenesProbe", 'unknown field "livenesProbe"', 9, 7),
        SchemaViolation("spec.containers[1].livenesProbe", 'unknown field "livenesProbe"', 10, 7),
    ]


def test_control_characters_and_long_values_are_escaped_and_shortened():
    text = (
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n'
        '    - name: a\n      image: x\n      "bad\\nkey\\u0007\\u2028": 1\n'
        '      command: "' + "x" * 500 + '\\n"\n'
    )
    got = check(text)
    assert [(v.line, v.column) for v in got] == [(8, 7), (9, 16)]
    unknown, command = got
    assert unknown.message == 'unknown field "bad\\nkey\\x07\\u2028"'
    assert command.message.startswith('expected a list, got string "xxxx')
    assert command.message.endswith('..."')
    assert len(command.message) < 100
    for v in got:
        assert v.message.isprintable() and v.json_path.isprintable()


def test_non_string_keys_do_not_raise():
    text = """\
    apiVersion: v1
    kind: Pod
    metadata:
      name: p
      labels: {1: a, true: b, null: c}
    spec:
      containers: [{name: a, image: x, 5: y}]
      ? [complex, key]
      : 1
    """
    # label keys are not checked by the schema (Kubernetes stringifies them)
    assert check(text) == [
        SchemaViolation('spec.containers[0]["5"]', "unknown field 5", 7, 36),
        SchemaViolation('spec["<complex key>"]', "unknown field <complex key>", 8, 5),
    ]


def test_huge_integer_does_not_raise():
    doc = load("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n")
    doc["spec"]["containers"][0]["image"] = 10**5000
    doc["spec"]["activeDeadlineSeconds"] = 10**5000  # an integer field: valid for the schema
    v = one(validate_document(doc, "v1", "Pod", K8S))
    assert v.json_path == "spec.containers[0].image"
    assert v.message == "expected string, got integer <very large integer>"
    assert (v.line, v.column) == (4, 38)  # where the replaced value was


def test_document_that_is_not_a_mapping():
    for data in (None, [], "text", 5, load("- a\n- b\n")):
        got = validate_document(data, "v1", "Pod", K8S)
        assert got is not None and len(got) == 1
        assert got[0].message.startswith("expected a mapping, got")


def test_deep_nesting_reports_one_violation():
    doc = load(
        """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object}
        """
    )
    node = CommentedMap()
    doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"] = {"a": node}
    for _ in range(3000):
        child = CommentedMap()
        node["type"] = "object"
        node["properties"] = {"a": child}
        node = child
    got = validate_document(doc, "apiextensions.k8s.io/v1", "CustomResourceDefinition", K8S)
    assert got == [SchemaViolation("", "document is too deeply nested (or recursive) to validate against the schema", 1, 1)]


def test_recursive_structure_reports_one_violation():
    # ruamel's round-trip loader turns recursive aliases into None, but a
    # caller could build a cycle: it must not hang or raise.
    doc = load(
        """\
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
        """
    )
    props = doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    props["properties"] = {"a": props}
    got = validate_document(doc, "apiextensions.k8s.io/v1", "CustomResourceDefinition", K8S)
    assert [v.message for v in got] == ["document is too deeply nested (or recursive) to validate against the schema"]


# --------------------------------------------------------------------------
# import cost
# --------------------------------------------------------------------------


def test_importing_the_module_does_not_import_jsonschema():
    code = (
        "import sys, podlint.schema\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('jsonschema', 'referencing', 'kubernetes_validate', 'yaml')]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
