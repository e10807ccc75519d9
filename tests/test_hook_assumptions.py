"""Hook durations as assumptions (`CONTAINER.pre-stop`, `CONTAINER.post-start`)
and the word assumptions `mesh`, `mesh-mode`, `mesh-version` (design.md 4, 9)."""
from __future__ import annotations

import pytest

from podlint.assumptions import AssumptionError, annotation_pairs, validate_assumptions
from podlint.config import Settings
from tests.helpers import lint_only
from tests.test_timeline import timeline_of

POD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations: {podlint/assume: "api.pre-stop=25s"}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: nginx:1.27
          ports: [{containerPort: 80}]
          lifecycle:
            preStop: {exec: {command: ["/usr/sbin/nginx", "-s", "quit"]}}
            postStart: {httpGet: {path: /warm, port: 80}}
"""


def test_annotation_and_cli_hook_durations_reach_the_timeline():
    settings = Settings(assume_cli=(("api.post-start", "5s"),))
    from podlint.assumptions import resolve_assumptions
    from tests.test_timeline import workload_of
    assumptions = resolve_assumptions(settings, workload_of(POD))
    assert assumptions.values == {"api.pre-stop": 25, "api.post-start": 5}
    timeline = timeline_of(POD, settings=settings)
    done = timeline.event("pre-stop-completed", "api")
    assert (done.earliest, done.latest) == (25, 25)
    assert done.detail.startswith("exec hook, run time assumed 25 s (annotation)")
    post = timeline.event("post-start-completed", "api")
    start = timeline.event("post-start-started", "api")
    assert post.earliest == start.earliest + 5 and "run time assumed 5 s (--assume)" in post.detail


def test_unassumed_hook_stays_unbounded():
    timeline = timeline_of(POD.replace('annotations: {podlint/assume: "api.pre-stop=25s"}', "labels: {}"))
    assert timeline.event("pre-stop-completed", "api").latest == 30    # the grace caps it
    assert timeline.event("pre-stop-completed", "api").earliest == 0


def test_timing_rules_use_the_assumed_pre_stop():
    text = POD.replace('annotations: {podlint/assume: "api.pre-stop=25s"}', "labels: {}")
    findings = lint_only("PL303", text, {"assume": {"api.pre-stop": "28s"}})
    assert [f.message for f in findings] == [
        "preStop is assumed to run 28 s of the 30 s grace: the hook ends at 28 s and SIGKILL comes "
        "at 30 s, leaving the app 2 s to shut down (headroom 5 s)"]


@pytest.mark.parametrize("pairs", [
    [("api.pre-stop", "10s")], [("api.post-start", "1m")], [("mesh", "istio")],
    [("mesh", "Linkerd")], [("mesh-mode", "native")], [("mesh-version", "1.26")],
    [("mesh-version", "v1.27.1")],
])
def test_valid_keys(pairs):
    validate_assumptions(pairs)


@pytest.mark.parametrize("pairs,message", [
    ([("api.prestop", "10s")], "is not CONTAINER.startup"),
    ([("api.pre-stop", "soon")], "is not a duration"),
    ([("mesh", "consul")], "is not one of istio, linkerd, none"),
    ([("mesh-version", "latest")], "is not a version like 1.26"),
])
def test_invalid_keys(pairs, message):
    with pytest.raises(AssumptionError, match=message):
        validate_assumptions(pairs)


def test_annotation_words():
    pairs, errors = annotation_pairs("mesh=linkerd, api.pre-stop=10s, mesh-mode=sideways")
    assert pairs == [("mesh", "linkerd"), ("api.pre-stop", "10s")]
    assert errors == ["podlint/assume mesh-mode: 'sideways' is not one of native, legacy"]


def test_hook_assumption_naming_no_container_is_pl005_and_mesh_is_not():
    text = POD.replace('"api.pre-stop=25s"', '"apx.pre-stop=25s, mesh=istio"')
    messages = [f.message for f in lint_only("PL005", text)]
    assert len(messages) == 1 and messages[0].startswith('podlint/assume "apx.pre-stop" names no container')


def test_mesh_from_the_config_file_reaches_the_rules():
    job = """\
apiVersion: batch/v1
kind: Job
metadata: {name: load}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: load
          image: python:3.12
"""
    assert lint_only("PL107", job) == []
    findings = lint_only("PL107", job, {"assume": {"mesh": "linkerd"}})
    assert [f.message for f in findings] == [
        "the assumption mesh=linkerd (config) injects linkerd-proxy as a regular container (Linkerd injects a regular "
        "container unless proxy-enable-native-sidecar is set): it never exits by itself, so the Job's "
        "pod never reaches Succeeded"]
