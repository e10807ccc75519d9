"""podlint.mesh: the proxy Istio and Linkerd inject, and how explain shows it
(design.md 9: implied parts marked in text, JSON `implied: true`, HTML)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint.assumptions import Assumptions
from podlint.cli import cli
from podlint.mesh import detect
from podlint.model import build_pod
from tests.test_timeline import timeline_of, workload_of

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def pod_of(metadata: str, kind: str = "Deployment") -> str:
    return f"""\
apiVersion: apps/v1
kind: {kind}
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {metadata}
    spec:
      containers:
        - name: web
          image: example/web:1.0
          lifecycle:
            preStop: {{sleep: {{seconds: 15}}}}
"""


def mesh(metadata: str, version=(1, 35), **words):
    pod = build_pod(workload_of(pod_of(metadata)))
    return detect(pod, Assumptions(words=words), version)


@pytest.mark.parametrize("metadata,words,version,expected", [
    ('{labels: {app: web, sidecar.istio.io/inject: "true"}}', {}, (1, 35), ("istio", "native")),
    ('{labels: {app: web, sidecar.istio.io/inject: "true"}}', {}, (1, 32), ("istio", "legacy")),
    ('{labels: {app: web, sidecar.istio.io/inject: "true"}}', {"mesh-version": "1.26"}, (1, 35),
     ("istio", "legacy")),
    ('{labels: {app: web}, annotations: {sidecar.istio.io/inject: "true", '
     'sidecar.istio.io/nativeSidecar: "false"}}', {}, (1, 35), ("istio", "legacy")),
    ('{labels: {app: web}, annotations: {sidecar.istio.io/inject: "true", '
     'sidecar.istio.io/nativeSidecar: "true"}}', {}, (1, 28), ("istio", "legacy")),
    ('{labels: {app: web}, annotations: {linkerd.io/inject: enabled}}', {}, (1, 35), ("linkerd", "legacy")),
    ('{labels: {app: web}, annotations: {linkerd.io/inject: enabled, '
     'config.linkerd.io/proxy-enable-native-sidecar: "true"}}', {}, (1, 35), ("linkerd", "native")),
    ('{labels: {app: web}}', {"mesh": "istio", "mesh-mode": "legacy"}, (1, 35), ("istio", "legacy")),
    ('{labels: {app: web}}', {"mesh": "linkerd"}, (1, 35), ("linkerd", "legacy")),
])
def test_detect(metadata, words, version, expected):
    found = mesh(metadata, version, **words)
    assert (found.kind, found.mode) == expected


@pytest.mark.parametrize("metadata,words", [
    ('{labels: {app: web}}', {}),
    ('{labels: {app: web, sidecar.istio.io/inject: "false"}}', {"mesh": "istio"}),
    ('{labels: {app: web}, annotations: {linkerd.io/inject: disabled}}', {"mesh": "linkerd"}),
    ('{labels: {app: web}}', {"mesh": "none"}),
])
def test_not_meshed(metadata, words):
    assert mesh(metadata, **words) is None


def test_istio_knobs():
    found = mesh('{labels: {app: web}, annotations: {sidecar.istio.io/inject: "true", '
                 'sidecar.istio.io/nativeSidecar: "false", proxy.istio.io/config: '
                 '"{holdApplicationUntilProxyStarts: true, terminationDrainDuration: 12s}"}}')
    assert (found.hold, found.drain, found.exit_on_zero) == (True, 12, False)
    zero = mesh('{labels: {app: web}, annotations: {sidecar.istio.io/inject: "true", '
                'sidecar.istio.io/nativeSidecar: "false", proxy.istio.io/config: '
                '"{proxyMetadata: {EXIT_ON_ZERO_ACTIVE_CONNECTIONS: \\"true\\"}}"}}')
    assert (zero.drain, zero.exit_on_zero) == (None, True)


def test_linkerd_knobs():
    found = mesh('{labels: {app: web}, annotations: {linkerd.io/inject: enabled, '
                 'config.linkerd.io/proxy-await: disabled, '
                 'config.alpha.linkerd.io/proxy-wait-before-exit-seconds: "20"}}')
    assert (found.hold, found.wait_before_exit) == (False, 20)


def test_timeline_places_the_legacy_proxy_and_its_drain():
    text = pod_of('{labels: {app: web}, annotations: {sidecar.istio.io/inject: "true", '
                  'sidecar.istio.io/nativeSidecar: "false"}}')
    timeline = timeline_of(text)
    proxy = timeline.timing("istio-proxy")
    assert proxy.role == "main" and proxy.index == 1          # appended after the app
    assert (proxy.exited.earliest, proxy.exited.latest) == (5, 5)  # terminationDrainDuration
    assert [e.implied for e in timeline.shutdown if e.container == "istio-proxy"] == [True, True]
    assert not any(e.implied for e in timeline.shutdown if e.container != "istio-proxy")
    assert timeline.implied[0]["mode"] == "legacy"


def test_timeline_places_the_native_proxy_first_and_stops_it_last():
    timeline = timeline_of(pod_of('{labels: {app: web, sidecar.istio.io/inject: "true"}}'))
    proxy = timeline.timing("istio-proxy")
    assert proxy.role == "sidecar"
    assert timeline.event("sidecar-started", "istio-proxy").earliest == 0
    assert timeline.event("sidecar-stop-signal", "istio-proxy").earliest >= 15   # after the app's preStop


def test_job_note_says_never_succeeded():
    text = (FIXTURES / "PL107" / "fail_sidecars_in_jobs.yaml").read_text().split("---")[0]
    notes = timeline_of(text).notes
    assert ("cloudsql-proxy: never exits by itself (the Cloud SQL proxy "
            "(gcr.io/cloudsql-docker/gce-proxy:1.33.2)): the pod never reaches Succeeded and the Job "
            "never completes") in notes


def _explain(path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["explain", str(path), *args])
    assert result.exit_code in (0, 1), result.output
    return result.output


def test_explain_marks_implied_parts(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(pod_of('{labels: {app: web}, annotations: {sidecar.istio.io/inject: "true", '
                           'sidecar.istio.io/nativeSidecar: "false"}}'))
    text = _explain(path)
    assert "istio-proxy (implied)" in text
    assert 'note: istio-proxy: implied, not in the manifest: annotation sidecar.istio.io/inject: "true"' in text
    document = json.loads(_explain(path, "-f", "json"))
    workload = document["workloads"][0]
    assert workload["implied"] == [{"name": "istio-proxy", "role": "main", "implied": True,
                                    "mesh": "istio", "mode": "legacy",
                                    "why": 'sidecar.istio.io/nativeSidecar: "false"',
                                    "source": 'annotation sidecar.istio.io/inject: "true"'}]
    flagged = {(e["event"], e["container"]) for e in workload["startup"] + workload["shutdown"]
               if e.get("implied")}
    assert ("stop-signal", "istio-proxy") in flagged and all(c == "istio-proxy" for _, c in flagged)
    html = _explain(path, "-f", "html")
    assert "implied main" in html and 'stroke-dasharray="5 4"' in html


def test_unmeshed_explain_has_no_implied_keys(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(pod_of("{labels: {app: web}}"))
    document = json.loads(_explain(path, "-f", "json"))
    assert "implied" not in document["workloads"][0]
    assert not any("implied" in e for e in document["workloads"][0]["shutdown"])


def test_story_marks_the_implied_proxy():
    path = FIXTURES / "PL309" / "fail_legacy_proxies.yaml"
    assert '"istio-proxy" (implied: injected, not in the manifest) gets SIGTERM at 0 s' in _explain(path)
