"""The timeline's formulas, one case per rule of lifecycle-semantics.md sections
1-3 and 8: startup order, probe windows, startup budget, readiness, liveness
restart, shutdown arithmetic by version, sidecar ordering, grace 0,
assumptions (and their precedence), hook durations, and robustness."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from podlint.assumptions import Assumptions, resolve_assumptions
from podlint.config import NEWEST_KUBERNETES, Settings
from podlint.finding import Location
from podlint.loader import LoadedFile, parse_text
from podlint.model import Handler, build_pod
from podlint.timeline import (SHUTDOWN_EVENTS, STARTUP_EVENTS, Bounds, build_timeline,
                              kill_sequence, sleep_seconds)
from podlint.workloads import ModelError, extract_workload

ROOT = Path(__file__).resolve().parent.parent


def workload_of(text: str):
    loaded = parse_text(text, LoadedFile("t.yaml"))
    assert not loaded.findings, loaded.findings
    return extract_workload(loaded.documents[0])


def timeline_of(text: str, version=NEWEST_KUBERNETES, assume: dict | None = None,
                settings: Settings | None = None):
    workload = workload_of(text)
    pod = build_pod(workload)
    if settings is not None:
        assumptions = resolve_assumptions(settings, workload)
    else:
        assumptions = Assumptions(dict(assume or {}), {k: "--assume" for k in assume or {}})
    return build_timeline(pod, assumptions, version)


def span(timeline, name, container=None):
    event = timeline.event(name, container)
    assert event is not None, f"no {name} {container}"
    return (event.earliest, event.latest)


def pod(spec: str, kind: str = "Pod", annotations: str = "") -> str:
    """A Pod manifest around an indented spec body."""
    meta = f"\n  annotations: {annotations}" if annotations else ""
    return f"apiVersion: v1\nkind: {kind}\nmetadata:\n  name: p{meta}\nspec:\n{spec}"


def container(name: str, extra: str = "", image: str = "app:1.0", policy: str = "Never") -> str:
    body = f"  - name: {name}\n    image: {image}\n    imagePullPolicy: {policy}\n"
    return body + "".join(f"    {line}\n" for line in extra.strip("\n").splitlines() if line.strip())


# ----------------------------------------------------------------------------- the seed

def test_loap_startup_matches_the_predicted_table():
    text = (ROOT / "examples" / "loap.yaml").read_text()
    t = timeline_of(text)
    rows = [(e.event, e.container, e.earliest, e.latest) for e in t.startup]
    assert rows == [
        ("pod-scheduled", None, 0, 0),
        ("init-started", "init", 0, None),
        ("init-completed", "init", 0, None),
        ("container-started", "main", 0, None),
        ("post-start-started", "main", 0, None),
        ("post-start-completed", "main", 0, None),
        ("readiness-probe-first", "main", 0, None),
        ("liveness-probe-first", "main", 0, None),
        ("container-ready", "main", 0, None),
        ("pod-ready", None, 0, None),
        ("liveness-restart-earliest", "main", 20, None),
    ]
    assert t.event("container-started", "main").after == ("init-completed:init",)
    assert t.event("readiness-probe-first", "main").after == ("post-start-completed:main",)
    assert "pull policy Always" in t.event("init-started", "init").detail


def test_loap_shutdown_matches_the_predicted_table():
    t = timeline_of((ROOT / "examples" / "loap.yaml").read_text())
    rows = [(e.event, e.container, e.earliest, e.latest) for e in t.shutdown]
    assert rows == [
        ("deletion-requested", None, 0, 0),
        ("endpoints-removal", None, 0, 0),
        ("pre-stop-started", "main", 0, 0),
        ("pre-stop-completed", "main", 0, 30),
        ("stop-signal", "main", 0, 30),
        ("sigkill-deadline", "main", 30, 32),
    ]
    assert t.grace == 30
    assert "(default)" in t.event("deletion-requested").detail
    assert "lag the API deletion by up to ~2 s" in t.event("deletion-requested").detail
    assert t.notes[0] == "assumed Kubernetes 1.35 (the newest podlint models)"
    assert any("ends by itself after about 10 s" in n for n in t.notes)


def test_loap_before_1_28_gets_the_old_sigkill_arithmetic():
    t = timeline_of((ROOT / "examples" / "loap.yaml").read_text(), version=(1, 27))
    assert span(t, "sigkill-deadline", "main") == (30, 60)
    assert any("below 1.28" in n for n in t.notes)


def test_event_names_are_the_fixed_vocabulary_and_chronological():
    t = timeline_of((ROOT / "examples" / "loap.yaml").read_text())
    assert {e.event for e in t.startup} <= set(STARTUP_EVENTS)
    assert {e.event for e in t.shutdown} <= set(SHUTDOWN_EVENTS)
    for phase in (t.startup, t.shutdown):
        assert [e.earliest for e in phase] == sorted(e.earliest for e in phase)


# ----------------------------------------------------------------------------- startup order

def test_init_containers_run_one_after_another_with_assumed_run_times():
    spec = ("  initContainers:\n" + container("migrate") + container("seed") +
            "  containers:\n" + container("app"))
    t = timeline_of(pod(spec), assume={"migrate.run": 30, "seed.run": 5})
    assert span(t, "init-started", "migrate") == (0, 0)         # pull policy Never
    assert span(t, "init-completed", "migrate") == (30, 30)
    assert span(t, "init-started", "seed") == (30, 30)
    assert span(t, "init-completed", "seed") == (35, 35)
    assert span(t, "container-started", "app") == (35, 35)
    assert t.event("init-started", "seed").after == ("init-completed:migrate",)
    assert t.timing("migrate").completed == Bounds(30, 30)
    assert t.timing("migrate").ready is None


def test_unknown_init_run_time_is_zero_to_unbounded():
    spec = "  initContainers:\n" + container("migrate") + "  containers:\n" + container("app")
    t = timeline_of(pod(spec))
    assert span(t, "init-completed", "migrate") == (0, None)
    assert span(t, "container-started", "app") == (0, None)


def test_post_start_sleep_blocks_the_next_container():
    spec = ("  containers:\n"
            + container("first", "lifecycle: {postStart: {exec: {command: [sh, -c, sleep 15]}}}")
            + container("second", "readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 5}"))
    t = timeline_of(pod(spec))
    assert span(t, "post-start-completed", "first") == (15, 15)
    assert span(t, "container-started", "second") == (15, 15)
    assert t.event("container-started", "second").after == ("post-start-completed:first",)
    # Both are seen running after the whole start loop: h = 15 for both.
    assert t.timing("first").running_seen == Bounds(15, 15)
    assert t.timing("second").running_seen == Bounds(15, 15)
    # e0 = max(h, s + d) = max(15, 15 + 5) = 20; first run within one period.
    assert t.timing("second").first_probe["readiness"] == Bounds(20, 30)
    assert t.timing("second").ready == Bounds(20, None)
    assert t.timing("first").ready == Bounds(15, 15)            # no readiness probe
    assert t.ready == Bounds(20, None)


def test_native_sleep_post_start_needs_1_30():
    spec = "  containers:\n" + container("app", "lifecycle: {postStart: {sleep: {seconds: 7}}}")
    assert span(timeline_of(pod(spec)), "post-start-completed", "app") == (7, 7)
    old = timeline_of(pod(spec), version=(1, 29))
    assert span(old, "post-start-completed", "app") == (0, 0)
    assert "needs Kubernetes 1.30+" in old.event("post-start-completed", "app").detail


def test_image_pull_by_policy_and_assumption():
    spec = ("  containers:\n" + container("a", policy="Always") + container("b", policy="IfNotPresent")
            + container("c", policy="Never"))
    t = timeline_of(pod(spec), assume={"image-pull": 5})
    assert span(t, "container-started", "a") == (5, 5)
    assert span(t, "container-started", "b") == (5, 10)          # cached: 0, else 5
    assert span(t, "container-started", "c") == (5, 10)
    unknown = timeline_of(pod(spec))
    assert span(unknown, "container-started", "a") == (0, None)


def test_default_pull_policy_comes_from_the_model():
    spec = "  containers:\n  - name: app\n    image: nginx\n"
    t = timeline_of(pod(spec))
    assert "pull policy Always" in t.event("container-started", "app").detail
    assert span(t, "container-started", "app") == (0, None)


# ----------------------------------------------------------------------------- sidecars

def test_sidecar_without_startup_probe_lets_the_next_init_start_at_once():
    spec = ("  initContainers:\n" + container("proxy", "restartPolicy: Always")
            + container("migrate") + "  containers:\n" + container("app"))
    t = timeline_of(pod(spec), assume={"migrate.run": 10})
    assert span(t, "sidecar-started", "proxy") == (0, 0)
    assert span(t, "sidecar-ready", "proxy") == (0, 0)
    assert span(t, "init-started", "migrate") == (0, 0)
    assert t.event("init-started", "migrate").after == ("sidecar-ready:proxy",)
    assert "no startupProbe" in t.event("sidecar-ready", "proxy").detail
    assert t.timing("proxy").role == "sidecar"
    # The sidecar counts toward pod readiness (ready once seen running).
    assert span(t, "pod-ready") == (10, 10)
    assert "container-ready:proxy" in t.event("pod-ready").after


def test_sidecar_with_startup_probe_gates_the_next_init_container():
    spec = ("  initContainers:\n"
            + container("proxy", "restartPolicy: Always\n"
                                 "startupProbe: {tcpSocket: {port: 15000}, periodSeconds: 2, failureThreshold: 30}\n"
                                 "lifecycle: {postStart: {exec: {command: [sleep, '3']}}}")
            + container("migrate") + "  containers:\n" + container("app"))
    t = timeline_of(pod(spec))
    assert span(t, "post-start-completed", "proxy") == (3, 3)
    assert span(t, "startup-probe-first", "proxy") == (3, 5)
    assert span(t, "sidecar-ready", "proxy") == (3, None)          # app startup unknown
    assert span(t, "init-started", "migrate") == (3, None)
    # The first check waits for the postStart (3 s > initialDelay 0): 3 + 29 x 2, the
    # same 61 s the table's startup-probe-deadline shows (lifecycle-semantics 2.4).
    assert t.timing("proxy").startup_budget_guaranteed == 61
    assert t.timing("proxy").startup_budget_max == 63
    assert span(t, "startup-probe-deadline", "proxy")[0] == 61
    # With the app's startup assumed, the gate is bounded: [max(e0, s+A), + p + T].
    t = timeline_of(pod(spec), assume={"proxy.startup": 10})
    assert span(t, "sidecar-ready", "proxy") == (10, 13)
    assert span(t, "init-started", "migrate") == (10, 13)


def test_sidecar_stop_order_after_the_main_containers():
    spec = ("  terminationGracePeriodSeconds: 30\n  initContainers:\n"
            + container("log", "restartPolicy: Always")
            + container("proxy", "restartPolicy: Always\nlifecycle: {preStop: {sleep: {seconds: 2}}}")
            + "  containers:\n"
            + container("app", "lifecycle: {preStop: {exec: {command: [sleep, '5']}}}"))
    t = timeline_of(pod(spec))
    assert span(t, "stop-signal", "app") == (5, 5)
    assert span(t, "sigkill-deadline", "app") == (30, 30)
    # proxy (declared later) goes first: after its own preStop (2 s) and the main's exit.
    assert span(t, "sidecar-stop-signal", "proxy") == (5, 30)
    assert span(t, "sigkill-deadline", "proxy") == (30, 32)
    assert t.event("sidecar-stop-signal", "proxy").after == (
        "pre-stop-completed:proxy", "sigkill-deadline:app")
    # log waits for app and proxy too.
    assert t.event("sidecar-stop-signal", "log").after == (
        "deletion-requested", "sigkill-deadline:app", "sigkill-deadline:proxy")
    assert span(t, "sidecar-stop-signal", "log") == (5, 30)
    # With the shutdown times assumed the window narrows.
    t = timeline_of(pod(spec), assume={"app.shutdown": 1, "proxy.shutdown": 1})
    assert span(t, "sidecar-stop-signal", "proxy") == (6, 6)
    assert span(t, "sidecar-stop-signal", "log") == (7, 7)
    # Below 1.29 every container is stopped in parallel.
    old = timeline_of(pod(spec), version=(1, 28))
    assert span(old, "sidecar-stop-signal", "log") == (0, 0)
    assert span(old, "sidecar-stop-signal", "proxy") == (0, 0)   # sleep action: 1.30+
    assert any("in parallel" in n for n in old.notes)


def test_sidecar_whose_pre_stop_uses_the_grace_does_not_wait():
    spec = ("  terminationGracePeriodSeconds: 10\n  initContainers:\n"
            + container("proxy", "restartPolicy: Always\nlifecycle: {preStop: {exec: {command: [sleep, '60']}}}")
            + "  containers:\n" + container("app"))
    t = timeline_of(pod(spec))
    assert span(t, "pre-stop-completed", "proxy") == (10, 10)
    assert span(t, "sidecar-stop-signal", "proxy") == (10, 10)
    assert span(t, "sigkill-deadline", "proxy") == (12, 12)


# ----------------------------------------------------------------------------- probes

def test_probe_window_and_readiness_trigger_by_version():
    spec = "  containers:\n" + container("app", "readinessProbe: {httpGet: {port: 8080}, periodSeconds: 5}")
    t = timeline_of(pod(spec))
    assert span(t, "readiness-probe-first", "app") == (0, 5)
    assert "1.21+" in t.event("readiness-probe-first", "app").detail
    old = timeline_of(pod(spec), version=(1, 20))
    assert span(old, "readiness-probe-first", "app") == (0, 5)
    assert "on a tick" in old.event("readiness-probe-first", "app").detail
    assert any("only on their periodic ticks" in n for n in old.notes)


def test_ready_with_assumed_startup_and_success_threshold():
    spec = "  containers:\n" + container(
        "app", "readinessProbe: {httpGet: {port: 80}, periodSeconds: 10, successThreshold: 3, timeoutSeconds: 2}")
    t = timeline_of(pod(spec), assume={"app.startup": 25})
    # earliest: max(e0, s+A) + (S-1)p = 25 + 20; latest: + S*p + T = 25 + 32.
    assert t.timing("app").ready == Bounds(45, 57)
    assert t.timing("app").assumed_startup == 25
    assert t.ready == Bounds(45, 57)


def test_startup_probe_budget_and_deadline():
    spec = "  containers:\n" + container(
        "app", "startupProbe: {httpGet: {port: 80}, initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 6}\n"
               "livenessProbe: {httpGet: {port: 80}}\nreadinessProbe: {httpGet: {port: 80}}")
    t = timeline_of(pod(spec), assume={"image-pull": 0})
    timing = t.timing("app")
    assert timing.startup_budget_guaranteed == 35               # d + (F-1)p
    assert timing.startup_budget_max == 40                      # d + F*p
    assert timing.first_probe["startup"] == Bounds(10, 15)      # e0 = s + d = 10
    assert span(t, "startup-probe-deadline", "app") == (35, 41)  # [e0 + (F-1)p, e0 + p + F*p + T)
    assert timing.liveness_restart_earliest == Bounds(35, 41)
    # Liveness and readiness wait for the startup success.
    assert t.event("readiness-probe-first", "app").after == ("startup-probe-first:app",)
    assert timing.startup_success == Bounds(10, None)


def test_startup_probe_ignored_before_1_18():
    spec = "  containers:\n" + container("app", "startupProbe: {httpGet: {port: 80}}")
    t = timeline_of(pod(spec), version=(1, 17))
    assert t.event("startup-probe-first", "app") is None
    assert any("startupProbe of app ignored" in n for n in t.notes)


def test_liveness_restart_and_hang_to_restart():
    spec = ("  terminationGracePeriodSeconds: 60\n  containers:\n" + container(
        "app", "livenessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 5, periodSeconds: 10, "
               "failureThreshold: 3, timeoutSeconds: 1}"))
    t = timeline_of(pod(spec))
    timing = t.timing("app")
    assert timing.first_probe["liveness"] == Bounds(5, 15)
    assert timing.liveness_restart_earliest == Bounds(25, 36)   # [e0 + 20, e0 + p + 31)
    assert timing.kill_grace == 60
    # hang -> restart: [20 + 1 + 60, 31 + 60] (each hung check waits its 1 s timeout;
    # no preStop: SIGKILL at the grace)
    assert timing.liveness_decision == Bounds(20, 31)
    assert timing.hang_decision == Bounds(21, 31)
    assert timing.hang_to_restart == Bounds(81, 91)


def test_probe_level_grace_for_liveness_kills_from_1_25():
    spec = ("  terminationGracePeriodSeconds: 600\n  containers:\n" + container(
        "app", "livenessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 5}"))
    assert timeline_of(pod(spec)).timing("app").kill_grace == 5
    assert timeline_of(pod(spec)).timing("app").hang_to_restart == Bounds(26, 36)
    old = timeline_of(pod(spec), version=(1, 24))
    assert old.timing("app").kill_grace == 600
    assert any("probe-level" in n for n in old.notes)


def test_named_port_probes():
    declared = "  containers:\n" + container(
        "app", "ports: [{name: http, containerPort: 8080}]\nreadinessProbe: {httpGet: {port: http}}")
    t = timeline_of(pod(declared))
    assert t.timing("app").never is None
    assert t.ready == Bounds(0, None)
    missing = "  containers:\n" + container(
        "app", "ports: [{name: web, containerPort: 8080}]\nreadinessProbe: {httpGet: {port: http}}\n"
               "livenessProbe: {httpGet: {port: http}}")
    t = timeline_of(pod(missing), assume={"app.startup": 5})
    assert 'port "http"' in t.timing("app").never
    assert t.timing("app").ready is None                          # no time: never
    assert t.never_ready == 'the readiness probe of container "app" errors on every run'
    assert t.event("container-ready", "app") is None
    assert t.event("pod-ready") is None
    assert "never succeeds" in t.event("readiness-probe-first", "app").detail
    assert t.timing("app").liveness_restart_earliest is None     # a probe error never kills
    assert t.event("liveness-restart-earliest", "app") is None


# ----------------------------------------------------------------------------- shutdown

def _prestop_pod(seconds, grace=30):
    return pod(f"  terminationGracePeriodSeconds: {grace}\n  containers:\n"
               + container("app", f"lifecycle: {{preStop: {{exec: {{command: [sh, -c, 'sleep {seconds}']}}}}}}"))


@pytest.mark.parametrize("seconds,stop,kill", [
    (5, 5, 30),        # shorter than the grace: SIGKILL at g
    (28, 28, 30),      # P = g - 2: still g
    (29, 29, 31),      # between g - 2 and g: P + 2
    (30, 30, 32),      # equal: g + 2
    (45, 30, 32),      # longer: abandoned at g, SIGKILL at g + 2
])
def test_pre_stop_against_the_grace_period(seconds, stop, kill):
    t = timeline_of(_prestop_pod(seconds))
    assert span(t, "pre-stop-completed", "app") == (min(seconds, 30), min(seconds, 30))
    assert span(t, "stop-signal", "app") == (stop, stop)
    assert span(t, "sigkill-deadline", "app") == (kill, kill)
    timing = t.timing("app")
    assert timing.pre_stop == Bounds(seconds, seconds)
    assert timing.stop_signal == Bounds(stop, stop)
    assert timing.sigkill == Bounds(kill, kill)


@pytest.mark.parametrize("seconds,kill", [(5, 35), (30, 60), (45, 60)])
def test_pre_1_28_arithmetic(seconds, kill):
    t = timeline_of(_prestop_pod(seconds), version=(1, 27))
    assert span(t, "sigkill-deadline", "app") == (kill, kill)
    assert "below 1.28" in t.event("sigkill-deadline", "app").detail


def test_no_pre_stop_and_unknown_pre_stop():
    plain = timeline_of(pod("  containers:\n" + container("app")))
    assert span(plain, "stop-signal", "app") == (0, 0)
    assert span(plain, "sigkill-deadline", "app") == (30, 30)
    assert plain.event("pre-stop-started", "app") is None
    assert plain.timing("app").pre_stop is None
    http = timeline_of(pod("  containers:\n" + container("app", "lifecycle: {preStop: {httpGet: {port: 80, path: /q}}}")))
    assert span(http, "pre-stop-completed", "app") == (0, 30)
    assert span(http, "sigkill-deadline", "app") == (30, 32)
    assert http.timing("app").pre_stop == Bounds(0, None)


def test_grace_zero():
    t = timeline_of(_prestop_pod(5, grace=0))
    assert t.grace == 0
    assert t.kill_grace == 1
    assert "floored to 1 s" in t.event("deletion-requested").detail
    assert span(t, "pre-stop-completed", "app") == (1, 1)        # the hook runs, capped at 1 s
    assert span(t, "stop-signal", "app") == (1, 1)
    assert span(t, "sigkill-deadline", "app") == (3, 3)          # 2 s after the stop signal
    plain = timeline_of(pod("  terminationGracePeriodSeconds: 0\n  containers:\n" + container("app")))
    assert span(plain, "sigkill-deadline", "app") == (2, 2)
    # A liveness kill in a grace-0 pod skips the hook: stop at once, SIGKILL 2 s later.
    live = timeline_of(pod("  terminationGracePeriodSeconds: 0\n  containers:\n" + container(
        "app", "livenessProbe: {tcpSocket: {port: 80}}\nlifecycle: {preStop: {sleep: {seconds: 5}}}")))
    assert live.timing("app").kill_grace == 0
    assert live.timing("app").hang_to_restart == Bounds(23, 33)


def test_kill_sequence_with_unknown_hook_is_monotone():
    stop, kill, end = kill_sequence(Bounds(0, None), 30, (1, 35))
    assert (stop, kill, end) == (Bounds(0, 30), Bounds(30, 32), Bounds(0, 30))
    stop, kill, end = kill_sequence(Bounds(0, None), 30, (1, 20))
    assert kill == Bounds(30, 60)
    # Before 1.28 the override replaced the grace after the 2 s floor: a deletion
    # with grace 1 (0 floored by the pod worker) gives the stop call 1 s.
    assert kill_sequence(Bounds(5, 5), 1, (1, 27))[1] == Bounds(2, 2)
    assert kill_sequence(None, 1, (1, 27))[1] == Bounds(1, 1)
    assert kill_sequence(None, 1, (1, 35))[1] == Bounds(2, 2)


# ----------------------------------------------------------------------------- assumptions

def test_assumption_precedence_cli_over_annotation_over_config():
    text = pod("  containers:\n" + container("app", "readinessProbe: {tcpSocket: {port: 80}}"),
               annotations='{podlint/assume: "app.startup=20s"}')
    config = Settings(assume=(("app.startup", "10s"),))
    cli = Settings(assume=(("app.startup", "10s"),), assume_cli=(("app.startup", "30s"),))
    t = timeline_of(text, settings=cli)
    assert t.timing("app").assumed_startup == 30
    assert t.assumptions.sources["app.startup"] == "--assume"
    t = timeline_of(text, settings=config)
    assert t.timing("app").assumed_startup == 20
    assert t.assumptions.sources["app.startup"] == "annotation"
    no_annotation = pod("  containers:\n" + container("app", "readinessProbe: {tcpSocket: {port: 80}}"))
    t = timeline_of(no_annotation, settings=config)
    assert t.timing("app").assumed_startup == 10
    assert t.assumptions.sources["app.startup"] == "config"
    assert t.ready == Bounds(10, 21)


def test_annotation_on_the_workload_object_and_bad_entries():
    text = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            "  annotations: {podlint/assume: 'migrate.run=2m, bogus, app.startup=xyz'}\n"
            "spec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n"
            "    spec:\n      initContainers:\n      - {name: migrate, image: 'm:1', imagePullPolicy: Never}\n"
            "      containers:\n      - {name: app, image: 'a:1', imagePullPolicy: Never}\n")
    t = timeline_of(text, settings=Settings())
    assert span(t, "init-completed", "migrate") == (120, 120)
    assert span(t, "container-started", "app") == (120, 120)
    assert sum("ignored assumption" in n for n in t.notes) == 2


# ----------------------------------------------------------------------------- hook durations

def _exec(*command):
    return Handler("exec", tuple(command), None, None, None, None, (), None, None, None, {}, None)


@pytest.mark.parametrize("command,seconds", [
    (("sleep", "15"), 15),
    (("/bin/sleep", "15"), 15),
    (("/usr/bin/sleep", "5s"), 5),
    (("sleep", "1m"), 60),
    (("sleep", "1m", "30s"), 90),
    (("sleep", "0.5"), 0.5),
    (("sh", "-c", "sleep 15"), 15),
    (("/bin/sh", "-c", "sleep 15 && nginx -s quit"), 15),
    (("bash", "-ec", "echo bye; sleep 5; sleep 5"), 10),
    (("sh", "-c", "exec sleep 20"), 20),
    (("sh", "-c", "sleep 5 &"), None),
    (("sh", "-c", "while true; do sleep 1; done"), None),
    (("sh", "-c", "nginx -s quit"), None),
    (("sleep", "infinity"), None),
    (("sh", "-c", "sleep infinity"), None),
    (("sleep",), None),
    (("sh", "-c"), None),
    (("sleep 15",), None),
    (("/app/drain",), None),
])
def test_sleep_seconds_of_exec_handlers(command, seconds):
    assert sleep_seconds(_exec(*command)) == seconds


def test_sleep_seconds_of_other_handlers():
    sleep = Handler("sleep", None, None, None, None, None, (), None, 12, None, {}, None)
    assert sleep_seconds(sleep) == 12
    bad = Handler("sleep", None, None, None, None, None, (), None, -1, None, {}, None)
    assert sleep_seconds(bad) is None
    http = Handler("httpGet", None, 80, "/", "HTTP", None, (), None, None, None, {}, None)
    assert sleep_seconds(http) is None
    assert sleep_seconds(None) is None


# ----------------------------------------------------------------------------- robustness

def test_duplicate_container_names_first_wins():
    spec = ("  containers:\n" + container("app", "readinessProbe: {tcpSocket: {port: 80}}")
            + container("app"))
    t = timeline_of(pod(spec))
    assert "readiness" in t.timing("app").first_probe
    assert len(t.events("container-started")) == 2


def test_huge_numbers_stay_finite_and_serialisable():
    huge = 2**63 - 1
    spec = (f"  terminationGracePeriodSeconds: {huge}\n  containers:\n" + container(
        "app", f"livenessProbe: {{tcpSocket: {{port: 80}}, periodSeconds: {huge}, failureThreshold: {huge}, "
               f"initialDelaySeconds: {huge}}}\nlifecycle: {{preStop: {{sleep: {{seconds: {huge}}}}}}}"))
    t = timeline_of(pod(spec))
    document = [e.to_dict() for e in t.startup + t.shutdown]
    json.dumps(document, allow_nan=False)
    for event in t.startup + t.shutdown:
        assert math.isfinite(event.earliest)
        assert event.latest is None or math.isfinite(event.latest)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**64, max_value=2**64),
                     st.floats(allow_nan=True), st.text(max_size=8), st.just([]), st.just({}))
_PROBE = st.fixed_dictionaries({}, optional={
    "exec": st.one_of(_SCALARS, st.fixed_dictionaries({"command": st.one_of(
        _SCALARS, st.lists(st.one_of(st.text(max_size=12), st.sampled_from(["sh", "-c", "sleep 3"])),
                           max_size=4))})),
    "httpGet": st.one_of(_SCALARS, st.fixed_dictionaries({"port": _SCALARS})),
    "sleep": st.one_of(_SCALARS, st.fixed_dictionaries({"seconds": _SCALARS})),
    "initialDelaySeconds": _SCALARS, "periodSeconds": _SCALARS, "timeoutSeconds": _SCALARS,
    "failureThreshold": _SCALARS, "successThreshold": _SCALARS,
    "terminationGracePeriodSeconds": _SCALARS})
_CONTAINER = st.fixed_dictionaries({"name": st.one_of(st.text(max_size=6), _SCALARS)}, optional={
    "image": _SCALARS, "imagePullPolicy": st.one_of(_SCALARS, st.sampled_from(["Always", "Never"])),
    "restartPolicy": st.one_of(_SCALARS, st.just("Always")),
    "livenessProbe": _PROBE, "readinessProbe": _PROBE, "startupProbe": _PROBE,
    "lifecycle": st.fixed_dictionaries({}, optional={"postStart": _PROBE, "preStop": _PROBE}),
    "ports": st.lists(st.fixed_dictionaries({"name": _SCALARS, "containerPort": _SCALARS}), max_size=2),
    "command": st.lists(st.sampled_from(["sh", "-c", "sleep 10", "echo x; sleep 2"]), max_size=3)})
_SPEC = st.fixed_dictionaries({"containers": st.lists(_CONTAINER, max_size=3)}, optional={
    "initContainers": st.lists(_CONTAINER, max_size=3),
    "terminationGracePeriodSeconds": _SCALARS, "restartPolicy": _SCALARS,
    "readinessGates": st.one_of(_SCALARS, st.just([{"conditionType": "x"}]))})


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=_SPEC, version=st.sampled_from([(1, 16), (1, 20), (1, 27), (1, 28), (1, 29), (1, 35)]),
       assume=st.dictionaries(st.sampled_from(["a.startup", "a.run", "a.shutdown", "image-pull"]),
                               st.floats(min_value=0, max_value=1e9), max_size=3))
def test_timeline_never_raises(spec, version, assume):
    from podlint.loader import Document
    from podlint.workloads import Workload

    data = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}
    document = Document("h.yaml", 0, data, 1, 1)
    workload = Workload("Pod", "v1", "p", None, document, data, data, "", Location("h.yaml", 1, 1))
    try:
        model = build_pod(workload)
    except ModelError:
        return
    t = build_timeline(model, Assumptions(assume, {k: "config" for k in assume}), version)
    assert not any(n.startswith("timeline not built") for n in t.notes), t.notes
    json.dumps([e.to_dict() for e in t.startup + t.shutdown] + [t.ready.to_dict()], allow_nan=False)
    assert [e.earliest for e in t.startup] == sorted(e.earliest for e in t.startup)
    for timing in t.containers.values():
        assert timing.sigkill.earliest >= timing.stop_signal.earliest


def test_timeline_of_an_empty_pod():
    t = timeline_of("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n")
    assert [e.event for e in t.startup] == ["pod-scheduled", "pod-ready"]
    assert t.ready == Bounds(0, 0)
    assert [e.event for e in t.shutdown] == ["deletion-requested", "endpoints-removal"]


def test_a_sidecar_whose_startup_probe_never_succeeds_blocks_everything_after_it():
    """The next init container waits for the sidecar's startup success (1.3); a
    startup probe on an undeclared named port never succeeds (2.3), so nothing
    after the sidecar starts, the pod is never Ready, and only the sidecar is
    running to be killed on deletion."""
    spec = ("  initContainers:\n"
            + container("proxy", "restartPolicy: Always\nstartupProbe: {httpGet: {port: admin}}")
            + container("migrate") + "  containers:\n"
            + container("app", "readinessProbe: {httpGet: {port: 8080}}"))
    t = timeline_of(pod(spec))
    names = {(e.event, e.container) for e in t.startup + t.shutdown}
    assert ("sidecar-started", "proxy") in names and ("startup-probe-first", "proxy") in names
    assert ("sidecar-ready", "proxy") not in names
    assert ("startup-probe-deadline", "proxy") not in names       # a probe error never kills
    assert not [n for n in names if n[1] in ("migrate", "app")]
    assert t.never_ready == 'sidecar "proxy" never passes its startup probe, so nothing after it starts'
    assert any(n.startswith("migrate, app: never started") for n in t.notes)
    assert [e.container for e in t.shutdown if e.event == "sidecar-stop-signal"] == ["proxy"]


def test_a_port_string_the_api_rejects_is_not_a_never_ready_prediction():
    """`${EXTENSION_GRPC_HEALTH_PORT:-9003}` (an unrendered template, as in the corpus'
    GoogleCloudPlatform inference-pool-variables.yaml) is no IANA_SVC_NAME: the API
    rejects the pod (PL003), so the kubelet never probes anything and the timeline
    predicts no "never"."""
    spec = "  containers:\n" + container(
        "app", "readinessProbe: {httpGet: {port: '${HEALTH_PORT:-9003}'}}")
    t = timeline_of(pod(spec))
    assert t.timing("app").never is None and t.never_ready is None
    assert t.event("pod-ready") is not None


def test_a_hang_waits_the_timeout_and_a_long_timeout_spaces_the_runs():
    """lifecycle-semantics 2.4: decided in [x + (F-1)p, x + F*p + T) for any failure,
    [x + (F-1)p + T, x + F*p + T) for a hang (every run times out; issue 10, S059:
    period 15, timeout 10, F 3 -> 40 to 55 s, not 30). With T >= p the prober's loop
    runs each check when the last one ends (worker.go run), so runs are max(p, T) apart."""
    from podlint.timeline.probes import decision_window, hang_window

    assert decision_window(15, 10, 3) == Bounds(30, 55)
    assert hang_window(15, 10, 3) == Bounds(40, 55)
    assert hang_window(10, 1, 3) == Bounds(21, 31)
    # c1-router (review S045): period 30, timeout 30, F 60: the same either way.
    assert decision_window(30, 30, 60) == Bounds(1770, 1830)
    assert hang_window(30, 30, 60) == Bounds(1800, 1830)
    # timeout 10 above period 2, F 3: hung runs end at r1 + 10, 20, 30 (r1 in [x, x + 2)).
    assert hang_window(2, 10, 3) == Bounds(30, 32)
    assert decision_window(2, 10, 3) == Bounds(4, 32)
