"""PL003's hints name the right parent field, even when a key holds dots."""
from podlint.run import lint_text

SELECTOR_WITHOUT_MATCH_LABELS = """\
# stackrox__kube-linter tests/checks/non-isolated-pod.yml: labels written straight under spec.selector
apiVersion: apps/v1
kind: Deployment
metadata: {name: app1}
spec:
  selector:
    app.kubernetes.io/name: app1
  template:
    metadata:
      labels: {app.kubernetes.io/name: app1}
    spec:
      containers:
        - {name: app, image: "nginx:1.27"}
"""


def test_a_dotted_label_key_under_a_selector_points_at_match_labels():
    (finding,) = [f for f in lint_text(SELECTOR_WITHOUT_MATCH_LABELS) if f.code == "PL003"]
    assert finding.message == 'spec.selector["app.kubernetes.io/name"]: unknown field "app.kubernetes.io/name"'
    assert finding.hint == ("labels go under spec.selector.matchLabels (a label selector has only "
                            "matchLabels and matchExpressions)")


def test_an_unknown_field_elsewhere_names_its_parent_for_kubectl_explain():
    text = SELECTOR_WITHOUT_MATCH_LABELS.replace(
        "    app.kubernetes.io/name: app1\n  template", "    matchLabels: {app.kubernetes.io/name: app1}\n  template"
    ).replace("{name: app, image: \"nginx:1.27\"}", "{name: app, image: \"nginx:1.27\", livenesProbe: {}}")
    (finding,) = [f for f in lint_text(text) if f.code == "PL003"]
    assert finding.hint == ("fix the spelling or remove the field; `kubectl explain "
                            "deployment.spec.template.spec.containers` lists the valid ones")
