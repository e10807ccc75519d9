"""Liveness and readiness probes that are the same check with the same timing.

## What it does
Flags containers whose `livenessProbe` and `readinessProbe` run the same check
(same handler: kind; command; path, port after resolving port names, scheme, host
and headers; gRPC service) with the same failure timing (`initialDelaySeconds`,
`periodSeconds`, `timeoutSeconds`, `failureThreshold`, after Kubernetes
defaults). `successThreshold` is ignored: it does not change when the two probes
fail.

## Why is this bad?
The two probes answer different questions. Readiness takes a busy container out
of rotation so that it can recover; liveness restarts a container that cannot
recover. When both are the same check with the same timing they fail at the same
moment: an overloaded container is removed from the endpoints and restarted at
once, never gets the chance to drain its backlog, and the restart pushes its load
onto the other replicas, which then fail the same way (a cascading failure).

The hint fits the numbers. Usually the fix is a higher `failureThreshold` on
the livenessProbe, as the Kubernetes docs advise. But where the shared window is
already long (a check failing from x is acted on only after more than a minute,
x + (F-1) x period at the earliest, the window `podlint explain` prints for the
liveness restart), raising liveness's threshold would only delay restarts
further: the hint then says to lower the readinessProbe's `failureThreshold` or
`periodSeconds`, so that traffic stops within seconds and liveness keeps the
long window. That does not slow a slow start down: a container is not Ready
until its first readiness success, so readiness's threshold matters only once it
is Ready (a long liveness window kept for a slow start belongs in a startupProbe).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      ports: [{name: http, containerPort: 8080}]
      livenessProbe:  # [PL203]
        httpGet: {path: /healthz, port: http}
      readinessProbe:
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 10
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      ports: [{name: http, containerPort: 8080}]
      livenessProbe:
        httpGet: {path: /healthz, port: http}
        failureThreshold: 6
      readinessProbe:
        httpGet: {path: /healthz, port: 8080}
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes ("A common pattern for liveness probes is to use the same low-cost HTTP endpoint as for readiness probes, but with a higher failureThreshold. This ensures that the pod is observed as not-ready for some period of time before it is hard killed")
- Kubernetes docs: Pod Lifecycle, Container probes
"""
from collections.abc import Iterator

from podlint.api import Container, Context, Finding, Probe, seconds

CODE = "PL203"
NAME = "identical-liveness-readiness"
SEVERITY = "warning"
OPTIONS = {}

# Readiness that takes more than a minute to react already keeps a failing
# container in rotation too long: the fix is a faster readiness, not a slower
# liveness (blind review seed 20261204, S045: 60 failures 30 s apart).
SLOW_WINDOW_SECONDS = 60


def _port(container: Container, port):
    resolved = container.resolve_port(port)
    return resolved if resolved is not None else port


def _check_key(container: Container, probe: Probe):
    """What the probe checks, with port names resolved; None when unreadable."""
    h = probe.handler
    if h.action == "exec":
        return ("exec", h.command) if h.command else None
    if h.action == "httpGet":
        return ("httpGet", h.path, _port(container, h.port), (h.scheme or "HTTP").upper(),
                h.host or "", tuple(sorted(h.headers)))
    if h.action == "tcpSocket":
        return ("tcpSocket", _port(container, h.port), h.host or "")
    if h.action == "grpc":
        return ("grpc", _port(container, h.port), h.service or "")
    return None


def _timing(probe: Probe):
    return (probe.initial_delay, probe.period, probe.timeout, probe.failure_threshold)


def _describe(container: Container, probe: Probe) -> str:
    h = probe.handler
    port = _port(container, h.port)
    if h.action == "exec":
        text = " ".join(h.command or ())
        return f"exec {text[:40]}{'...' if len(text) > 40 else ''}"
    if h.action == "httpGet":
        return f"httpGet {h.path} on port {port}"
    return f"{h.action} on port {port}"


def _hint(ctx: Context, container: Container) -> str:
    timing = ctx.timeline.timing(container.name)
    window = timing.liveness_decision if timing is not None else None
    if window is not None and window.earliest > SLOW_WINDOW_SECONDS:
        return (f"both act only {seconds(window.earliest)} to {seconds(window.latest)} s after the check "
                "starts failing: lower the readinessProbe's failureThreshold (or periodSeconds) so traffic "
                "stops within seconds; the livenessProbe then keeps the longer window for restarts")
    return "give the livenessProbe a higher failureThreshold (or a cheaper check) than the readinessProbe"


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.sidecars + ctx.pod.containers:
        live, ready = container.liveness_probe, container.readiness_probe
        if live is None or ready is None:
            continue
        key = _check_key(container, live)
        if key is None or key != _check_key(container, ready) or _timing(live) != _timing(ready):
            continue
        yield ctx.finding(
            live.location,
            f'livenessProbe and readinessProbe of container "{container.name}" are the same check '
            f"({_describe(container, live)}) with the same timing (both give up after "
            f"{live.failure_threshold} failures {live.period} s apart): an overloaded container is "
            "taken out of rotation and restarted at the same moment",
            container=container.name, hint=_hint(ctx, container))
