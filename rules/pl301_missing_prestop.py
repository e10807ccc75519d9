"""A serving container of a long-running workload has no preStop hook.

## What it does
Flags containers that serve traffic in a Deployment, StatefulSet, DaemonSet,
ReplicaSet or ReplicationController and have no `lifecycle.preStop`. A
container serves when it declares a `containerPort`, or when a Service among
the linted documents selects its pod (then, if no container of the pod
declares a port, every main container serves). Init containers never serve;
a sidecar (an init container with `restartPolicy: Always`) is flagged only
when it declares a port. Bare Pods, Jobs and CronJobs are not flagged: they are
not rolled or scaled down behind a Service. A container without an `image` is a
fragment of a strategic-merge patch (Kustomize `patches:`), whose base object is
linted on its own, and is skipped.

## Why is this bad?
When a pod is deleted (rollout, scale-down, node drain), the kubelet sends the
stop signal at once while the EndpointSlice update travels to every node's
kube-proxy, the ingress controllers and the cloud load balancers. For a second
or more they keep sending new connections to a process that is shutting down:
clients see connection resets and 502s during every rollout. A short preStop
sleep keeps the container serving until the endpoint removal has propagated;
the grace period counts from the start of the hook, so keep it well below
`terminationGracePeriodSeconds` (PL302, PL303).

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
        - name: app  # [PL301]
          image: nginx:1.27
          ports: [{containerPort: 80}]
```

A Service that selects the pod makes a container without ports serve too:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: app  # [PL301]
          image: example/worker:2.1
---
apiVersion: v1
kind: Service
metadata: {name: worker}
spec:
  selector: {app: worker}
  ports: [{port: 80, targetPort: 8080}]
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
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 80}]
          lifecycle:
            preStop: {sleep: {seconds: 5}}
```

## References
- Kubernetes docs: Pod Lifecycle, "Termination of Pods" (endpoints are removed while the pod shuts down)
- Kubernetes docs: Container Lifecycle Hooks (preStop, the sleep action)
- KEP-3960: Introducing Sleep Action for PreStop Hook (the motivation: graceful endpoint removal)
"""
from collections.abc import Iterator

from podlint.api import Condition, Context, Finding

CODE = "PL301"
NAME = "missing-prestop"
SEVERITY = "warning"
OPTIONS = {}

KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"})
NATIVE_SLEEP = (1, 30)      # the sleep action is beta and on by default from 1.30


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.pod.kind not in KINDS:
        return
    if ctx.kubernetes_version >= NATIVE_SLEEP:
        fix = "add lifecycle.preStop: {sleep: {seconds: 5}}"
    else:
        fix = 'add lifecycle.preStop: {exec: {command: ["sleep", "5"]}}'
    for container in ctx.pod.sidecars + ctx.pod.containers:
        if container.pre_stop is not None or container.is_patch_fragment:
            continue            # has one, or is a patch fragment (no image) of a linted base
        serving = ctx.serving(container)
        if not serving:
            continue
        if isinstance(serving, Condition):
            why = "is selected by a Service"
        else:
            numbers = [str(p.number if p.number is not None else p.name) for p in container.ports]
            why = f"serves port{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"
        role = "sidecar" if container.is_sidecar else "container"
        yield ctx.finding(
            container.location,
            f'{role} "{container.name}" {why} but has no preStop hook: on a rollout or '
            "scale-down it gets the stop signal while load balancers still route to it",
            container=container.name, when=serving,
            hint=f"{fix} (well below terminationGracePeriodSeconds, "
                 f"{ctx.pod.termination_grace} s) so endpoints are removed before shutdown")
