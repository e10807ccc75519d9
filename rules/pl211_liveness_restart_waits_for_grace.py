"""A liveness or startup kill waits for the pod's long grace period.

## What it does
Flags `livenessProbe` and `startupProbe` without a probe-level
`terminationGracePeriodSeconds` in pods whose `terminationGracePeriodSeconds` is
above a threshold (option `grace-threshold-seconds`, default 60). The message
gives the numbers from the predicted timeline: when the kubelet decides the
kill after a hang (`failureThreshold` checks `periodSeconds` apart, each timing
out after `timeoutSeconds`: between (F-1) x period + timeout and F x period +
timeout after the hang, for a timeout below the period), the grace the kill
then waits, and the sum. A check that fails at once (a refused connection) is
decided up to one timeout sooner; the message is about a hang, which is what
the grace then waits on. A probe that can never run or whose results are always
discarded (a named port the container does not declare) kills nothing and is
not flagged.

Not flagged for targets below Kubernetes 1.25, where the probe-level field is
off by default.

## Why is this bad?
A long pod grace period is there for a clean shutdown on deletion (draining
connections, finishing jobs). Without a probe-level value, a kill decided by a
failed liveness or startup probe uses the same grace: the kubelet runs the
preStop hook, sends SIGTERM, which a hung process ignores, and waits the whole
grace before SIGKILL. The container is restarted only after the failure window
plus the grace period (for example 21 to 31 s + 600 s), and its traffic and work are
stuck for all of it. The probe's own `terminationGracePeriodSeconds` (on by
default since 1.25, GA in 1.28) shortens only that kill.

## Example
```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 600
      containers:
        - name: db
          image: example/db:1.0
          livenessProbe:  # [PL211]
            tcpSocket: {port: 5432}
```

Use instead:
```yaml
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 600
      containers:
        - name: db
          image: example/db:1.0
          livenessProbe:
            tcpSocket: {port: 5432}
            terminationGracePeriodSeconds: 30
```

## Options
- `grace-threshold-seconds` (integer, default 60): flag pods whose terminationGracePeriodSeconds is above this.

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, Probe-level terminationGracePeriodSeconds
- Kubernetes source: pkg/kubelet/kuberuntime/kuberuntime_container.go, setTerminationGracePeriod (the probe's value for liveness and startup kills, else the pod's)
- Kubernetes enhancement KEP-2238: Add configurable grace period to probes
"""
from collections.abc import Iterator

from podlint.api import PROBE_GRACE_SINCE, Context, Finding, seconds

CODE = "PL211"
NAME = "liveness-restart-waits-for-grace"
SEVERITY = "warning"
OPTIONS = {"grace-threshold-seconds": {"type": "integer", "minimum": 0, "default": 60}}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    threshold = ctx.options["grace-threshold-seconds"]
    if pod.termination_grace <= threshold or ctx.kubernetes_version < PROBE_GRACE_SINCE:
        return
    timeline = ctx.timeline
    grace = timeline.grace
    if grace <= threshold:
        return
    for container in pod.sidecars + pod.containers:
        timing = timeline.timing(container.name)
        if timing is None or pod.container(container.name) is not container:
            continue
        for probe in (container.startup_probe, container.liveness_probe):
            if probe is None or (probe.termination_grace is not None and probe.termination_grace > 0):
                continue
            if probe.kind == "liveness":
                decision = timing.hang_decision
                if decision is None:
                    continue            # never runs or never kills (a probe error): nothing waits
                # A hung container's checks each wait the whole timeout: the hang window
                # (explain's "If ... hangs" sentence and table detail use the same one).
                # A run that takes the whole timeout holds up the next tick: with a timeout
                # of at least the period the checks follow one another, timeout apart.
                spacing = (f"{probe.period} s apart" if probe.timeout < probe.period
                           else "one after another")
                what = (f"a hung container is restarted only after {probe.failure_threshold} checks "
                        f"{spacing} have each timed out after {probe.timeout} s "
                        f"({seconds(decision.earliest)} to {seconds(decision.latest)} s after it hangs) "
                        f"plus the {grace} s grace period")
                hang = timing.hang_to_restart
                if hang is not None and timing.kill_grace == grace and hang.latest is not None:
                    what += f": {seconds(hang.earliest)} to {seconds(hang.latest)} s after it hangs"
            else:
                budget = timing.startup_budget_guaranteed
                if budget is None:
                    continue            # never kills (a probe error)
                what = (f"a container stuck while starting is killed no sooner than {seconds(budget)} s "
                        f"after it starts ({probe.failure_threshold} failed checks {probe.period} s apart) "
                        f"and restarted only after the {grace} s grace period on top")
            yield ctx.finding(
                probe.location,
                f'{probe.field_name} of container "{container.name}" has no '
                f"terminationGracePeriodSeconds of its own and the pod's is {grace} s: {what}",
                container=container.name,
                hint=f"set terminationGracePeriodSeconds on the {probe.field_name} (e.g. 10 to 30 s): "
                     "it applies only to kills decided by that probe")
