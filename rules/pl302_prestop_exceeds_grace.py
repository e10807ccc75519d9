"""A preStop hook that lasts as long as or longer than terminationGracePeriodSeconds.

## What it does
Flags a container (main or sidecar) whose preStop hook has a known duration at
least as long as the pod's `terminationGracePeriodSeconds` (default 30). Known
durations are the native `sleep` action and exec hooks that sleep: `sleep 60`,
`/bin/sleep 60`, `["sh", "-c", "sleep 60"]`, `sleep 1m`, and `sleep 15 && nginx
-s quit`, which lasts at least 15 s. A hook of unknown duration (a script,
`nginx -s quit`, an httpGet) gives no finding; `podlint explain` shows it as
unbounded.

The numbers come from the predicted shutdown timeline for the target version
(`--kubernetes-version`). From 1.28 the grace counts from the start of the hook:
the kubelet abandons the hook at the grace, sends the stop signal, and SIGKILLs
2 s later. Below 1.28 the kubelet gave the whole grace again after the hook
(SIGKILL at grace + grace). Below 1.30 a native sleep action returns at once
(the feature gate was off), so it is not flagged there. A grace of 0 is PL304's (opt-in).

## Why is this bad?
The preStop sleep is meant to keep the container serving while endpoints are
removed, and the stop signal is meant to let the app finish its in-flight work
afterwards. When the hook uses up the grace, the app gets the stop signal only
when the grace is over and is SIGKILLed 2 s later: connections are cut, and
whatever the app does on SIGTERM (flush, deregister, finish requests) never
completes. A native sleep longer than the grace is rejected by the API server.

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
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 80}]
          lifecycle:
            preStop:
              exec:  # [PL302]
                command: ["sh", "-c", "sleep 60"]
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
      terminationGracePeriodSeconds: 90
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 80}]
          lifecycle:
            preStop:
              exec:
                command: ["sh", "-c", "sleep 60"]
```

## Fix
`podlint fix` raises the pod's `terminationGracePeriodSeconds` to the longest
known preStop plus PL303's `headroom-seconds` (default 5), so the app keeps
time to handle the stop signal. The key is added before `containers` when the
pod spec has none.

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
      # nginx drains for a minute
      containers:
        - name: app
          image: nginx:1.27
          lifecycle:
            preStop:
              sleep: {seconds: 60}
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
      # nginx drains for a minute
      terminationGracePeriodSeconds: 65
      containers:
        - name: app
          image: nginx:1.27
          lifecycle:
            preStop:
              sleep: {seconds: 60}
```

## References
- Kubernetes docs: Pod Lifecycle, "Termination of Pods" (the grace period counts from the start of preStop; the one-off 2 s extension)
- Kubernetes PR #115835 (1.28): "Fixed the preStop hook will block the pod termination grace period"
- Kubernetes: pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer, executePreStopHook
"""
from collections.abc import Iterator

from podlint.api import (Context, Finding, Fix, SetValue, grace_covering_pre_stop, known_pre_stop,
                         pre_stop_verb, seconds)

CODE = "PL302"
NAME = "prestop-exceeds-grace"
SEVERITY = "error"
OPTIONS = {}

WITHIN_GRACE = (1, 28)      # from 1.28 the preStop time counts within the grace


def check(ctx: Context) -> Iterator[Finding]:
    grace = ctx.timeline.grace
    for container, timing in known_pre_stop(ctx):
        duration = timing.pre_stop.earliest
        if duration < grace:
            continue
        stop, kill = timing.stop_signal, timing.sigkill
        message = (f"preStop {pre_stop_verb(ctx, container)} {seconds(duration)} s but terminationGracePeriodSeconds is "
                   f"{grace} s: ")
        if ctx.kubernetes_version >= WITHIN_GRACE:
            message += (f"the container is SIGKILLed at {seconds(kill.earliest)} s without "
                        "handling SIGTERM")
        else:
            message += (f"the kubelet abandons the hook at {seconds(stop.earliest)} s and "
                        f"SIGKILLs at {seconds(kill.earliest)} s (below 1.28 the grace starts again)")
        handler = container.pre_stop.handler
        if handler.action == "sleep" and duration > grace:
            message += "; the API server rejects a sleep action longer than the grace"
        yield ctx.finding(
            handler.location, message, container=container.name,
            hint=f"raise terminationGracePeriodSeconds above {seconds(duration)} plus the app's "
                 f"shutdown time (e.g. {seconds(duration + 15)}), or shorten the preStop")


def fix(ctx: Context) -> Iterator[Fix]:
    """Raise the pod's terminationGracePeriodSeconds to the longest known preStop
    plus PL303's headroom (default 5 s): certain, since a longer grace only
    gives the app the time the hook and the headroom already assume."""
    headroom = ctx.settings.rule_options.get("PL303", {}).get("headroom-seconds", 5)
    grace = grace_covering_pre_stop(ctx, headroom)
    if grace is None or not isinstance(ctx.pod.raw, dict):
        return
    for finding in check(ctx):
        yield Fix(finding, (SetValue(ctx.pod.raw, "terminationGracePeriodSeconds", grace,
                                     before="containers"),),
                  f"terminationGracePeriodSeconds: {grace} (preStop plus {seconds(headroom)} s)")
