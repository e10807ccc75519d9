"""PL601 and PL602 beyond their fixtures: exact messages on the cases a blind
review (seed 20261204, S092-S097) judged true but worded wrongly, the condition
PL601's page states against the controller's arithmetic, and explain's Recreate
note, which says the same span as PL602 from the same numbers."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.registry import all_rules
from podlint.rollout import deployment_fenceposts
from tests.helpers import ROOT, lint_only

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
GRADIO = FIXTURES / "PL602" / "fail_recreate_gradio_unknown_startup.yaml"
AWS = FIXTURES / "PL601" / "fail_aws_controller_two_services.yaml"


def findings(code: str, text: str, config: dict | None = None):
    return [f for f in lint_only(code, text, config) if f.code in (code, "PL000")]


# ----------------------------------------------------------------------------- PL602

def test_pl602_without_a_bound_says_what_the_gap_lasts_not_at_least_0_s():
    """S095 (gradio, no probe, no assumption): "for at least 0 s" said nothing."""
    [finding] = findings("PL602", GRADIO.read_text())
    assert finding.message == (
        'Deployment/gradio uses the Recreate strategy while it receives traffic from Service '
        '"gradio-service" (example.yaml:36): every rollout stops its only pod before starting new '
        "ones, leaving no endpoint for as long as it takes to stop and a new pod takes to start and "
        "become Ready")
    assert "0 s" not in finding.message


def test_pl602_keeps_a_positive_bound():
    text = GRADIO.read_text().replace(
        "        ports:\n        - containerPort: 7860\n",
        "        ports:\n        - containerPort: 7860\n"
        "        readinessProbe: {httpGet: {path: /, port: 7860}, initialDelaySeconds: 10}\n")
    [finding] = findings("PL602", text)
    assert finding.message.endswith("every rollout stops its only pod before starting new ones, "
                                    "leaving no endpoint for at least 10 s")
    [bounded] = findings("PL602", GRADIO.read_text(), {"assume": {
        "gradio.shutdown": "5s", "image-pull": "3s"}})
    assert bounded.message.endswith("leaving no endpoint for 5-8 s")


def test_pl602_and_explains_recreate_note_say_the_same_span():
    """The rule and explain's ROLLOUT note read one Rollout.unready through one
    function; neither prints a vacuous "at least 0 s" (text or JSON)."""
    result = CliRunner().invoke(cli, ["explain", "--no-config", str(GRADIO), "-f", "json"])
    (workload,) = json.loads(result.stdout)["workloads"]
    assert workload["rollout"]["notes"] == [
        "no pod is Ready from the old pods' deletion until the first new pod is Ready, for as long as "
        "they take to stop and it takes to start (unknown here: state them with --assume "
        "NAME.startup=..., NAME.shutdown=...)"]
    text = CliRunner().invoke(cli, ["explain", "--no-config", str(GRADIO)]).stdout
    assert "at least 0 s" not in text and "at least 0 s" not in result.stdout
    assumed = CliRunner().invoke(cli, ["explain", "--no-config", str(GRADIO), "--assume",
                                       "gradio.shutdown=5s", "--assume", "image-pull=3s"]).stdout
    assert ("no pod is Ready for 5-8 s: from the old pods' deletion until the first new pod is Ready"
            in assumed)
    [finding] = findings("PL602", GRADIO.read_text(), {"assume": {"gradio.shutdown": "5s",
                                                                   "image-pull": "3s"}})
    assert "for 5-8 s" in finding.message


def test_unready_span_drops_only_the_bounds_that_say_nothing():
    from podlint.rollout import unready_span
    from podlint.timeline import Bounds

    assert unready_span(Bounds(0, None)) is None
    assert unready_span(Bounds(0, 0)) is None
    assert unready_span(Bounds(0, 30)) == "for up to 30 s"
    assert unready_span(Bounds(12, None)) == "for at least 12 s"
    assert unready_span(Bounds(12, 45)) == "for 12-45 s"
    assert unready_span(Bounds(7.5, 7.5)) == "for 7.5 s"


# ----------------------------------------------------------------------------- PL601

def test_pl601_says_without_ready_endpoints_and_names_both_services():
    """S093: a terminating pod may still serve as kube-proxy's fallback, so "without
    ready endpoints"; two Services no longer read "Service A and Service B sends"."""
    [finding] = findings("PL601", AWS.read_text())
    assert finding.message == (
        "Deployment/ingress-nginx-controller's rolling update may take its only pod down at once "
        "(maxUnavailable resolves to 1 of 1 replica, maxSurge to 1) while it receives traffic from "
        'Service "ingress-nginx-controller" (example.yaml:11) and Service '
        '"ingress-nginx-controller-admission" (example.yaml:27): every rollout leaves it without ready '
        "endpoints until a new pod is Ready")
    assert finding.hint == ("surge instead: maxSurge: 1 (or 25%) with maxUnavailable: 0, so an old pod "
                            "goes only once a new one is available")


DEPLOYMENT = """\
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: api}}
  strategy:
    rollingUpdate: {maxSurge: SURGE, maxUnavailable: UNAVAILABLE}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1.2
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
"""


@pytest.mark.parametrize("replicas", [1, 2, 3, 4])
@pytest.mark.parametrize("surge", [0, 1, 2, "25%", "100%"])
@pytest.mark.parametrize("unavailable", [0, 1, 2, 3, 4, 5, "25%", "50%", "100%"])
def test_pl601_fires_exactly_when_its_page_says(replicas, surge, unavailable):
    """The page: maxUnavailable resolving to replicas (capped, 1 when both resolve
    to 0), whatever maxSurge is. The old page said "with no surge": too narrow."""
    surge_, unavailable_ = deployment_fenceposts(surge, unavailable, replicas)
    text = (DEPLOYMENT.replace("REPLICAS", str(replicas)).replace("SURGE", json.dumps(surge))
            .replace("UNAVAILABLE", json.dumps(unavailable)))
    fired = bool(findings("PL601", text))
    assert fired == (unavailable_ == replicas), (surge_, unavailable_)


def test_pl601_page_states_the_condition_the_rule_checks():
    doc = next(r for r in all_rules() if r.code == "PL601").doc
    assert "with no surge" not in doc
    assert "whatever `maxSurge` is" in doc
    example = doc.split("## Example", 1)[1].split("Use instead", 1)[0]
    assert "maxSurge: 1" in example           # the example fires with a surge, as the rule does


STATEFULSET = """\
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  updateStrategy:
    rollingUpdate: {maxUnavailable: 2}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: example/db:1
          ports: [{containerPort: 8080}]
"""


def test_pl601_on_a_statefulset_gives_a_hint_it_can_follow():
    """A StatefulSet has no maxSurge: the Deployment's "surge instead" hint named a
    field its spec does not have. maxUnavailable is honoured from 1.35."""
    assert findings("PL601", STATEFULSET, {"kubernetes-version": "1.34"}) == []
    [finding] = findings("PL601", STATEFULSET, {"kubernetes-version": "1.35"})
    assert finding.message == (
        "StatefulSet/db's rolling update may take all 2 pods down at once (maxUnavailable resolves to 2 "
        'of 2 replicas) while it receives traffic from Service "db" (example.yaml:3): every rollout '
        "leaves it without ready endpoints until a new pod is Ready")
    assert finding.hint == "lower maxUnavailable below replicas (1 replaces one pod at a time)"
