"""A liveness probe can restart the container before it has started.

## What it does
For containers with a `livenessProbe` and no `startupProbe`, asks the predicted
timeline when the liveness probe can restart the container at the earliest (if
every check fails from the first one) and flags it when that is:

- before the container's assumed startup time (`--assume app.startup=90s`, the
  config's `assume:` or the `podlint/assume` annotation), or
- strictly before the readiness probe can first succeed (its
  `initialDelaySeconds` says the app needs that long), even without an
  assumption. A restart that comes exactly when readiness can first succeed gives
  no finding.

## Why is this bad?
Until the app answers, every liveness check fails; after `failureThreshold`
failures the kubelet kills the container and starts it again, which fails the
same way. The pod never becomes Ready and ends in `CrashLoopBackOff`, typically
only on a slow node, a cold cache or a big data set, so it passes tests and
fails in production. A startup probe holds liveness and readiness back until the
app is up, so liveness can stay strict for the rest of the container's life.

## Example
```podlint-config
assume: {app.startup: 90s}
```
```yaml
apiVersion: v1
kind: Pod
metadata: {name: search}
spec:
  containers:
    - name: app
      image: example/search:1.0
      livenessProbe:  # [PL205]
        httpGet: {path: /healthz, port: 8080}
        initialDelaySeconds: 30
```

Use instead:
```podlint-config
assume: {app.startup: 90s}
```
```yaml
apiVersion: v1
kind: Pod
metadata: {name: search}
spec:
  containers:
    - name: app
      image: example/search:1.0
      startupProbe:
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 10
        failureThreshold: 12
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, Protect slow starting containers with startup probes
- Kubernetes source: pkg/kubelet/prober/worker.go (liveness runs from the container start plus initialDelaySeconds; a startup probe gates it)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, seconds

CODE = "PL205"
NAME = "liveness-kills-slow-start"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    candidates = [c for c in pod.sidecars + pod.containers
                  if c.liveness_probe is not None and c.startup_probe is None]
    if not candidates:
        return
    timeline = ctx.timeline
    for container in candidates:
        timing = timeline.timing(container.name)
        if timing is None or pod.container(container.name) is not container:
            continue
        restart = timing.liveness_restart_earliest
        if restart is None:
            continue
        live = container.liveness_probe
        after_start = restart.earliest - timing.started.earliest
        how = (f"{live.failure_threshold} failed checks {live.period} s apart, "
               f"initialDelaySeconds {live.initial_delay}")
        assumed = timing.assumed_startup
        if assumed is not None and after_start < assumed:
            problem = (f"can restart it {seconds(after_start)} s after it starts ({how}), before the app "
                       f"is up at {seconds(assumed)} s ({container.name}.startup, assumed): it can be "
                       "killed again and again and never start")
        else:
            first = timing.first_probe.get("readiness")
            if first is None or not restart.earliest < first.earliest:
                continue
            ready = container.readiness_probe
            problem = (f"can restart it {seconds(after_start)} s after it starts ({how}), before its "
                       f"readinessProbe can first succeed at "
                       f"{seconds(first.earliest - timing.started.earliest)} s "
                       f"(initialDelaySeconds {ready.initial_delay if ready else 0}): a slow start "
                       "ends in a restart loop")
        yield ctx.finding(
            live.location, f'livenessProbe of container "{container.name}" {problem}',
            container=container.name,
            hint="add a startupProbe whose failureThreshold x periodSeconds covers the startup "
                 "time, and keep the livenessProbe for after the start")
