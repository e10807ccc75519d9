"""A container that a Service sends traffic to has no preStop hook.

## What it does
Flags main containers and sidecars of a Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController or DeploymentConfig without a
`lifecycle.preStop` while a Service in their application scope sends them
traffic. The message names that Service and where it is.

Application scope and which container a Service port reaches are as for
PL201: same namespace; same folder, stream or kustomization; a file that
bundles workloads with their own Services is a closed stream. A named
`targetPort` reaches the container declaring it; a number, the container
declaring it, else the one whose probe checks it, else every main container
that does more than sleep.

Decision: a declared `containerPort` alone is not enough. The harm is the race
between endpoint removal and the stop signal, and a pod that no Service
selects has no endpoints to remove: a node-exporter's metrics port, a
DaemonSet's hostPort, an admin port. Those findings were noise (issue 10's
review), so they are gone, and so is traffic through a metrics port (a Service
or container port named `metrics`, `http-metrics`, ...): Prometheus retries a
failed scrape; the cost is that a Deployment linted without its
Service (a pre-commit run given one changed file) is not judged. Bare Pods,
Jobs and CronJobs are not flagged: they are not rolled or scaled down behind a
Service. Containers without an `image` are strategic-merge patch fragments
(Kustomize `patches:`) whose base object is linted on its own.

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
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
```

A container without ports serves when the Service's port reaches it:

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

Use instead (the metrics port of a DaemonSet that no Service selects is not flagged either):
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
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      containers:
        - name: exporter
          image: prom/node-exporter:v1.8.2
          ports: [{name: metrics, containerPort: 9100, hostPort: 9100}]
```

## References
- Kubernetes docs: Pod Lifecycle, "Termination of Pods" (endpoints are removed while the pod shuts down)
- Kubernetes docs: Container Lifecycle Hooks (preStop, the sleep action)
- KEP-3960: Introducing Sleep Action for PreStop Hook (the motivation: graceful endpoint removal)
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding

CODE = "PL301"
NAME = "missing-prestop"
SEVERITY = "warning"
OPTIONS = {}

KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
                   "DeploymentConfig"})
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
        role = "sidecar" if container.is_sidecar else "container"
        yield ctx.finding(
            container.location,
            f'{role} "{container.name}" receives traffic from {RELATED} but has no preStop hook: '
            "on a rollout or scale-down it gets the stop signal while load balancers still "
            "route to it",
            container=container.name, when=ctx.routed(container),
            hint=f"{fix} (well below terminationGracePeriodSeconds, "
                 f"{ctx.pod.termination_grace} s) so endpoints are removed before shutdown")
