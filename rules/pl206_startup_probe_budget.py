"""A startup probe whose budget is shorter than the assumed startup time.

## What it does
For containers with a `startupProbe` and an assumed startup time
(`--assume app.startup=90s`, the config's `assume:` or the `podlint/assume`
annotation), flags the probe when its guaranteed budget, read from the predicted
timeline, is shorter than the assumption. The guaranteed budget is
`max(initialDelaySeconds, W) + (failureThreshold - 1) x periodSeconds`, where W is
how long after its start the kubelet first sees the container running: its own
postStart hook and the pulls and postStarts of the containers started after it
in the same sync (no probe runs before that). An app that is up within that time
after its start is never killed, whatever the probe ticks' phase. The
documentation's `initialDelaySeconds + failureThreshold x periodSeconds` is the
optimistic end, which only some starts get. A probe on a named port the
container does not declare never kills (the kubelet discards its errors), so it
is left to PL207.

Without an assumption the rule has nothing to compare with and stays silent.

## Why is this bad?
The startup probe kills the container when it has not succeeded within its
budget; the restarted container needs the same time and is killed again. The pod
ends in `CrashLoopBackOff` exactly when startup is slow (a big data set, a cold
cache, a busy node), which is what the startup probe was added for.

## Example
```podlint-config
assume: {app.startup: 120s}
```
```yaml
apiVersion: v1
kind: Pod
metadata: {name: search}
spec:
  containers:
    - name: app
      image: example/search:1.0
      startupProbe:  # [PL206]
        httpGet: {path: /healthz, port: 8080}
        periodSeconds: 10
        failureThreshold: 12
```

Use instead:
```podlint-config
assume: {app.startup: 120s}
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
        failureThreshold: 13
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, Protect slow starting containers with startup probes ("failureThreshold * periodSeconds long enough to cover the worst case startup time")
- Kubernetes source: pkg/kubelet/prober/worker.go (probe ticks run from the worker's creation, not from the container start)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, seconds

CODE = "PL206"
NAME = "startup-probe-budget"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not ctx.assumptions.values:
        return
    for container in pod.sidecars + pod.containers:
        probe = container.startup_probe
        if probe is None:
            continue
        timing = ctx.timeline.timing(container.name)
        if timing is None or pod.container(container.name) is not container:
            continue
        budget, assumed = timing.startup_budget_guaranteed, timing.assumed_startup
        if budget is None or assumed is None or not budget < assumed:
            continue
        upper = timing.startup_budget_max
        waited = timing.seen_after_start.earliest if timing.seen_after_start is not None else 0
        if waited > probe.initial_delay:
            start = (f"its first check waits {seconds(waited)} s for postStart and the starts after "
                     f"it, more than initialDelaySeconds {probe.initial_delay}")
        else:
            start = f"initialDelaySeconds {probe.initial_delay}"
        spread = (f"{seconds(upper)} s at most, depending on the tick" if upper is not None
                  else "more only if later starts are slow")
        yield ctx.finding(
            probe.location,
            f'startupProbe of container "{container.name}" guarantees only {seconds(budget)} s '
            f"({start}, + {probe.failure_threshold - 1} x periodSeconds {probe.period}; {spread}) but "
            f"{container.name}.startup is assumed to be {seconds(assumed)} s: the container is killed "
            "before it is up, again and again",
            container=container.name,
            hint=f"raise failureThreshold so that the budget ({seconds(budget)} s now) is at least "
                 f"{seconds(assumed)} s: each extra failure adds periodSeconds ({probe.period} s)")
