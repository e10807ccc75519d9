"""A Deployment whose pods may take longer to become available than its progress deadline.

## What it does
For Deployments, compares `progressDeadlineSeconds` (default 600) with the time a
new pod may legitimately need before it counts as available: the predicted
pod-ready time (with the assumed startup times, `--assume app.startup=...`), the
startup probe's guaranteed budget (`max(initialDelaySeconds, the wait for
postStart) + (failureThreshold - 1) x periodSeconds` after the container starts:
an app that needs that long is allowed to), plus `minReadySeconds`. Flags the
Deployment when that time is longer than the deadline. A pod that can never be
Ready (a probe on an undeclared named port) is left to PL207: it is not slow,
it never becomes available.

`extensions/v1beta1` Deployments without an explicit deadline are skipped: that
version defaulted to no deadline.

## Why is this bad?
The Deployment controller marks a rollout failed (`Progressing=False`, reason
`ProgressDeadlineExceeded`) when no new pod became available for
`progressDeadlineSeconds`. A pod that is slow but healthy, exactly as its
startup probe allows, then fails `kubectl rollout status`, CI/CD pipelines and
GitOps health checks, and may trigger an automatic rollback of a good release.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: search}
spec:
  progressDeadlineSeconds: 300  # [PL105]
  minReadySeconds: 30
  selector: {matchLabels: {app: search}}
  template:
    metadata: {labels: {app: search}}
    spec:
      containers:
        - name: app
          image: example/search:1.0
          startupProbe:
            httpGet: {path: /healthz, port: 8080}
            periodSeconds: 10
            failureThreshold: 60
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: search}
spec:
  progressDeadlineSeconds: 900
  minReadySeconds: 30
  selector: {matchLabels: {app: search}}
  template:
    metadata: {labels: {app: search}}
    spec:
      containers:
        - name: app
          image: example/search:1.0
          startupProbe:
            httpGet: {path: /healthz, port: 8080}
            periodSeconds: 10
            failureThreshold: 60
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

## References
- Kubernetes docs: Deployments, Progress Deadline Seconds and Failed Deployment
- Kubernetes API: DeploymentSpec.progressDeadlineSeconds ("Defaults to 600s"), minReadySeconds
- Kubernetes source: pkg/controller/deployment/util/deployment_util.go, DeploymentTimedOut
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, as_int, key_position, value_position, seconds

CODE = "PL105"
NAME = "startup-exceeds-progress-deadline"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod, workload = ctx.pod, ctx.workload
    if pod.kind != "Deployment" or workload is None:
        return
    spec = workload.obj.get("spec") if isinstance(workload.obj, dict) else None
    if not isinstance(spec, dict):
        return
    explicit = as_int(spec.get("progressDeadlineSeconds"))
    if explicit is not None and explicit <= 0:
        return                          # rejected by the API (PL003)
    deadline = explicit if explicit is not None else workload.strategy.progress_deadline
    if deadline is None:
        return                          # extensions/v1beta1: no deadline by default
    min_ready = max(0, as_int(spec.get("minReadySeconds"), 0) or 0)
    # Cheap exit: without a startup probe, an assumption or minReadySeconds, a pod
    # is ready within its probes' initial delays and a few periods.
    if not min_ready and not ctx.assumptions.values and not any(
            c.startup_probe for c in pod.sidecars + pod.containers):
        if all(p.initial_delay + p.success_threshold * p.period <= deadline
               for c in pod.sidecars + pod.containers for p in c.probes):
            return

    timeline = ctx.timeline
    if timeline.never_ready:
        return                          # never available at all: PL207 names the probe that errors
    # (seconds, why, where): the longest legitimate wait names the cause.
    candidates = [(timeline.ready.earliest, f"predicted ready at {seconds(timeline.ready.earliest)} s", None)]
    for container in pod.sidecars + pod.containers:
        timing = timeline.timing(container.name)
        if timing is None or pod.container(container.name) is not container:
            continue
        if timing.startup_budget_guaranteed is not None and container.startup_probe is not None:
            candidates.append((timing.started.earliest + timing.startup_budget_guaranteed,
                               f'the startupProbe of "{container.name}" allows '
                               f"{seconds(timing.startup_budget_guaranteed)} s of startup",
                               container.startup_probe.location))
        if timing.ready is not None and timing.ready.earliest > 0:
            if timing.assumed_startup is not None:
                why = (f'"{container.name}" is assumed to need {seconds(timing.assumed_startup)} s to '
                       f"start and is ready at {seconds(timing.ready.earliest)} s at the earliest")
            else:
                why = f'"{container.name}" is ready at {seconds(timing.ready.earliest)} s at the earliest'
            candidates.append((timing.ready.earliest, why, container.location))
    needed, reason, where = max(candidates, key=lambda c: (c[0], c[2] is not None))
    total = needed + min_ready
    if total <= deadline:
        return
    parts = [reason]
    if min_ready:
        parts.append(f"minReadySeconds {min_ready}")
    if explicit is not None:
        location = value_position(spec, "progressDeadlineSeconds", ctx.path, workload.location)
    elif where is not None:
        location = where
    elif min_ready:
        location = value_position(spec, "minReadySeconds", ctx.path, workload.location)
    else:
        location = key_position(workload.obj, "spec", ctx.path, workload.location)
    source = "" if explicit is not None else " (the default)"
    yield ctx.finding(
        location,
        f"pods of {workload.ref} may legitimately take {seconds(total)} s to become available "
        f"({', '.join(parts)}) but progressDeadlineSeconds is {deadline}{source}: the rollout is "
        "reported failed (ProgressDeadlineExceeded) while healthy pods are still starting",
        hint=f"raise progressDeadlineSeconds above {seconds(total)}, or shorten the startup budget")
