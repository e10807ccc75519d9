"""A served Deployment uses the Recreate strategy: every rollout is downtime.

## What it does
Flags a Deployment (or DeploymentConfig) with `strategy: Recreate` that a
Service in its application scope sends traffic to, unless its pod mounts a
PersistentVolumeClaim. The finding names the Service and the predicted
downtime from `podlint explain`'s rollout: the old pods' shutdown plus a new
pod's startup until Ready (the same span as explain's Recreate note). Where
both are unknown from the manifest (no probe, no assumed startup) the message
says so in words instead of a vacuous "at least 0 s".

## Why is this bad?
Recreate scales every old pod to zero, waits until none is running, then starts
all new pods (recreate.go rolloutRecreate). From the first old pod's deletion
until the first new pod is Ready the Service has no endpoint: the old pods'
shutdown plus the new pods' startup, on every rollout, config changes included.
A rolling update with `maxUnavailable: 0` replaces pods without a gap.

Recreate is the right choice when two versions must never run together, most
often because a ReadWriteOnce volume cannot attach to a second pod: a pod
mounting a PersistentVolumeClaim is left alone. Other reasons (a schema
migration, a singleton lock, a single-instance monitoring add-on) are common
enough that this is advice (info), not a warning: the review on the corpus
found the strategy deliberate in 2 of 8 served workloads (istio's Prometheus
add-ons, whose data would need a volume anyway).

## Example
```yaml
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: shop}}
  strategy:  # [PL602]
    type: Recreate
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: shop
          image: example/shop:2.0
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: shop}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
        - name: shop
          image: example/shop:2.0
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

## References
- Kubernetes: pkg/controller/deployment/recreate.go rolloutRecreate, oldPodsRunning
- Kubernetes docs: Deployments, "Recreate Deployment"
- podlint docs/rollout.md
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding, unready_span

CODE = "PL602"
NAME = "recreate-served-workload"
SEVERITY = "info"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    rollout = ctx.rollout
    workload = ctx.workload
    if rollout is None or rollout.strategy != "Recreate" or not rollout.replicas:
        return
    if any(v.type == "persistentVolumeClaim" for v in ctx.pod.volumes):
        return
    pods = "its only pod" if rollout.replicas == 1 else f"all {rollout.replicas} pods"
    # The same span as explain's Recreate note: old pods gone, then a new pod Ready.
    if rollout.unready is None:
        gap = "and a new pod can never be Ready: no endpoint is left from then on"
    else:
        span = unready_span(rollout.unready)
        gap = (f"leaving no endpoint {span}" if span is not None else
               f"leaving no endpoint for as long as {'it takes' if rollout.replicas == 1 else 'they take'} "
               "to stop and a new pod takes to start and become Ready")
    yield ctx.finding(
        workload.strategy.location,
        f"{workload.ref} uses the Recreate strategy while it receives traffic from {RELATED}: every "
        f"rollout stops {pods} before starting new ones, {gap}",
        when=ctx.related("served"),
        hint="use type: RollingUpdate with maxUnavailable: 0 unless two versions must never run "
             "together; then suppress this finding with the reason")
