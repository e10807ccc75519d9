"""terminationGracePeriodSeconds is 0: the containers get no time to shut down.

## What it does
Flags a pod template whose `terminationGracePeriodSeconds` is explicitly `0`,
in every workload kind.

A pod whose every main container and sidecar is a placeholder (a process that
only waits: `sleep infinity`, `tail -f /dev/null`, a pause image; see PL202)
and has no preStop hook is not flagged. Such utility pods (istio's `sleep` and
`curl` samples, database client pods you `kubectl exec` into) set grace 0 on
purpose: `sleep` as PID 1 has no SIGTERM handler, so the kernel drops the stop
signal and every delete would otherwise wait out the whole default 30 s grace
before the SIGKILL, with nothing in flight to protect.

Decision: the rule is opt-in (and advice, info). Three blind reviews of the
3,181-manifest test corpus found every grace 0 that remains after the
placeholder exemption deliberate: an argo-cd end-to-end test pod cleaned up
fast, and the `kind` flavour of ingress-nginx, made for throwaway local
clusters, while every other provider runs with 300 s (issue 10's reviews,
S069 and S070). Nobody wrote grace 0 by mistake there, and nothing in the
manifest tells a mistake from the intent. A team whose servers must always
drain turns it on: `--extend-select PL304` (or `zero-grace-period`), and
`rules: {PL304: {severity: warning}}` to fail on it.

## Why is this bad?
With a grace of 0 the kubelet still floors the pod's grace at 1 s on deletion:
each preStop hook is cut off after at most 1 s, and SIGKILL follows 2 s after
the stop signal. When the kubelet itself kills one container (a failed liveness
or startup probe, a failed postStart, a spec change), the preStop hook does not
run at all and SIGKILL follows 2 s after the stop signal. In-flight requests are
dropped, files and transactions are left half written, and a StatefulSet
member leaves its cluster without a handover. A grace of 0 is also how a force
delete is spelled: it belongs on the command line of an emergency, not in the
template.

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
      terminationGracePeriodSeconds: 0  # [PL304]
      containers:
        - name: postgres
          image: postgres:16
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
      terminationGracePeriodSeconds: 60
      containers:
        - name: postgres
          image: postgres:16
```

## References
- Kubernetes docs: Pod Lifecycle, "Termination of Pods" and "Forced Pod termination"
- Kubernetes: pkg/kubelet/pod_workers.go calculateEffectiveGracePeriod (minimum 1 s), pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer (minimum 2 s after the stop signal)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, is_placeholder

CODE = "PL304"
NAME = "zero-grace-period"
SEVERITY = "info"
OPTIONS = {}
DEFAULT = False         # opt-in: every corpus grace 0 was deliberate (test pods, kind clusters)


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not pod.grace_explicit or pod.termination_grace != 0:
        return
    hooks = [c.name for c in pod.all_containers if c.pre_stop is not None]
    running = pod.sidecars + pod.containers
    if running and not hooks and all(is_placeholder(c) for c in running):
        return          # a sleep/pause utility pod: nothing to drain, SIGTERM ignored anyway
    names = ", ".join('"' + name + '"' for name in hooks)
    plural = len(hooks) > 1
    detail = (f"the preStop hook{'s' if plural else ''} of {names} {'are' if plural else 'is'} "
              "cut off after 1 s, and " if hooks else "")
    yield ctx.finding(
        pod.where("terminationGracePeriodSeconds", value=True),
        f"terminationGracePeriodSeconds is 0 in {pod.workload.ref}: {detail}every container is "
        "SIGKILLed 2 s after the stop signal, with no time to finish in-flight work",
        hint="set terminationGracePeriodSeconds to the time the app needs to drain "
             "(the default is 30); force-delete on the command line when you really mean it")
