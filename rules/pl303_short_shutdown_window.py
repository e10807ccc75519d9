"""Too little time between the end of preStop and SIGKILL for the app to shut down.

## What it does
Flags a container (main or sidecar) whose preStop hook has a known duration
shorter than `terminationGracePeriodSeconds`, but leaves less than
`headroom-seconds` (default 5) between the end of the hook, when the stop
signal is sent, and SIGKILL. Known durations are the same as PL302's: the
native `sleep` action and exec hooks that sleep; a hook of unknown duration
gives no finding. A hook that uses the whole grace is PL302's.

The times come from the predicted shutdown timeline for the target version:
from 1.28 SIGKILL comes at the grace counted from the start of the hook (at
least 2 s after the stop signal); below 1.28 the whole grace started again
after the hook, so only a grace below the headroom is flagged there.

## Why is this bad?
The preStop sleep keeps the container serving while endpoints are removed; the
app then needs time after the stop signal to finish in-flight requests, close
connections and flush state. `sleep 28` with the default grace of 30 leaves it
2 s: every rollout ends in SIGKILL for slow requests, and graceful-shutdown code
never gets to run to completion.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: app
          image: example/web:3.2
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop:
              sleep: {seconds: 28}  # [PL303]
```

With a stricter headroom, a 20 s sleep in a 30 s grace is too long as well:

```podlint-config
rules:
  PL303: {headroom-seconds: 15}
```
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: example/web:3.2
          lifecycle:
            preStop:
              exec: {command: ["/bin/sleep", "20"]}  # [PL303]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 45
      containers:
        - name: app
          image: example/web:3.2
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop:
              sleep: {seconds: 28}
```

## Options
- `headroom-seconds` (number, default 5): the least time the app must get between the stop signal and SIGKILL.

## Fix
`podlint fix` raises `terminationGracePeriodSeconds` to the longest known
preStop plus `headroom-seconds`.

Before:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 30   # default
      containers:
        - name: app
          image: example/web:3.2
          lifecycle:
            preStop:
              sleep: {seconds: 28}
```

After:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 33   # default
      containers:
        - name: app
          image: example/web:3.2
          lifecycle:
            preStop:
              sleep: {seconds: 28}
```

## References
- Kubernetes docs: Pod Lifecycle, "Termination of Pods" (the grace period counts from the start of preStop)
- Kubernetes PR #115835 (1.28): preStop time counted within the grace
- Kubernetes: pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer
"""
from collections.abc import Iterator

from podlint.api import (Context, Finding, Fix, SetValue, grace_covering_pre_stop, known_pre_stop,
                         pre_stop_verb, seconds)

CODE = "PL303"
NAME = "short-shutdown-window"
SEVERITY = "warning"
OPTIONS = {"headroom-seconds": {"type": "number", "minimum": 0, "default": 5}}


def check(ctx: Context) -> Iterator[Finding]:
    headroom = ctx.options["headroom-seconds"]
    grace = ctx.timeline.grace
    for container, timing in known_pre_stop(ctx):
        duration = timing.pre_stop.earliest
        if duration >= grace:
            continue            # PL302
        end = timing.pre_stop_completed or timing.stop_signal
        if end.latest is None:
            continue
        window = timing.sigkill.earliest - end.latest
        if window >= headroom:
            continue
        yield ctx.finding(
            container.pre_stop.handler.location,
            f"preStop {pre_stop_verb(ctx, container)} {seconds(duration)} s of the {grace} s grace: the hook ends at "
            f"{seconds(end.latest)} s and SIGKILL comes at {seconds(timing.sigkill.earliest)} s, "
            f"leaving the app {seconds(window)} s to shut down (headroom {seconds(headroom)} s)",
            container=container.name,
            hint=f"raise terminationGracePeriodSeconds to at least "
                 f"{seconds(duration + headroom)}, or shorten the preStop to at most "
                 f"{seconds(max(grace - headroom, 0))} s")


def fix(ctx: Context) -> Iterator[Fix]:
    """Raise the pod's terminationGracePeriodSeconds to the longest known preStop
    plus PL303's headroom (default 5 s): certain, since a longer grace only
    gives the app the time the hook and the headroom already assume."""
    headroom = ctx.options["headroom-seconds"]
    grace = grace_covering_pre_stop(ctx, headroom)
    if grace is None or not isinstance(ctx.pod.raw, dict):
        return
    for finding in check(ctx):
        yield Fix(finding, (SetValue(ctx.pod.raw, "terminationGracePeriodSeconds", grace,
                                     before="containers"),),
                  f"terminationGracePeriodSeconds: {grace} (preStop plus {seconds(headroom)} s)")
