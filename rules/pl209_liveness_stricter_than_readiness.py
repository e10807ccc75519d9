"""The liveness probe gives up sooner than the readiness probe.

## What it does
Flags containers whose liveness failure window (`periodSeconds x
failureThreshold`, after Kubernetes defaults) is strictly shorter than the
readiness one. Equal windows are not flagged.

## Why is this bad?
When the app struggles (a slow dependency, a full thread pool, a long garbage
collection), readiness should take it out of rotation first so it can recover,
and liveness should restart it only if it does not. With a stricter liveness
probe the container is restarted while it is still receiving traffic: requests
in flight fail, the restart adds a cold start on top of the overload, and the
readiness probe never gets to do its job.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      livenessProbe:  # [PL209]
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 5
        failureThreshold: 2
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 10
        failureThreshold: 3
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
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 10
        failureThreshold: 6
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 10
        failureThreshold: 3
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes ("A common pattern for liveness probes is to use the same low-cost HTTP endpoint as for readiness probes, but with a higher failureThreshold. This ensures that the pod is observed as not-ready for some period of time before it is hard killed")
- Kubernetes docs: Pod Lifecycle, Container probes
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL209"
NAME = "liveness-stricter-than-readiness"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.sidecars + ctx.pod.containers:
        live, ready = container.liveness_probe, container.readiness_probe
        if live is None or ready is None or live.failure_window >= ready.failure_window:
            continue
        yield ctx.finding(
            live.location,
            f'livenessProbe of container "{container.name}" gives up after {live.failure_window} s '
            f"of failures ({live.failure_threshold} x {live.period} s) but readinessProbe only after "
            f"{ready.failure_window} s ({ready.failure_threshold} x {ready.period} s): a struggling "
            "container is restarted before it is taken out of rotation",
            container=container.name,
            hint=f"raise the livenessProbe's failureThreshold or periodSeconds so that its window is "
                 f"at least {ready.failure_window} s")
