"""A rolling update of a served workload may leave no pod available.

## What it does
Flags a Deployment (or DeploymentConfig) whose rolling update, resolved as the
controller resolves it, lets every pod be unavailable at once (`maxUnavailable`
reaching `replicas` with no surge), and StatefulSets of two or more replicas
whose `maxUnavailable` covers them all, when a Service in the workload's
application scope sends it traffic. The finding names the Service.

## Why is this bad?
`ResolveFenceposts` turns `maxUnavailable` into a count of pods the controller
may take down before new ones are available; when that count is `replicas`
and `maxSurge` is 0, the controller scales every old pod down first and the
Service has no endpoint until a new pod is Ready (`podlint explain` shows the
step with 0 available). Every rollout, even a config change, is an outage.

A pod that mounts a PersistentVolumeClaim is left alone: a ReadWriteOnce volume
cannot attach to a surge pod on another node, so taking the old pod down first
is the deliberate choice there (or Recreate). A StatefulSet of one replica has
no choice either.

## Example
```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  strategy:
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 2  # [PL601]
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1.2
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

Use instead:
```yaml
apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1.2
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
```

## References
- Kubernetes: pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, MaxUnavailable; rolling.go reconcileOldReplicaSets
- podlint docs/rollout.md
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding, Location, value_position

CODE = "PL601"
NAME = "rollout-without-available-pod"
SEVERITY = "warning"
OPTIONS = {}


def _max_unavailable_location(ctx: Context) -> Location:
    """The maxUnavailable value when the manifest sets it, else the strategy."""
    workload = ctx.workload
    spec = workload.obj.get("spec")
    key = "updateStrategy" if workload.kind == "StatefulSet" else "strategy"
    strategy = spec.get(key) if isinstance(spec, dict) else None
    params = "rollingParams" if workload.kind == "DeploymentConfig" else "rollingUpdate"
    rolling = strategy.get(params) if isinstance(strategy, dict) else None
    if isinstance(rolling, dict) and "maxUnavailable" in rolling:
        return value_position(rolling, "maxUnavailable", ctx.path, workload.strategy.location)
    return workload.strategy.location


def check(ctx: Context) -> Iterator[Finding]:
    rollout = ctx.rollout
    workload = ctx.workload
    if rollout is None or rollout.strategy != "RollingUpdate" or rollout.min_available != 0:
        return
    if workload.kind not in ("Deployment", "DeploymentConfig", "StatefulSet") or not rollout.replicas:
        return
    if workload.kind == "StatefulSet" and rollout.replicas < 2:
        return
    if any(v.type == "persistentVolumeClaim" for v in ctx.pod.volumes) or ctx.pod.claim_templates:
        return
    yield ctx.finding(
        _max_unavailable_location(ctx),
        f"{workload.ref}'s rolling update may take "
        f"{'its only pod' if rollout.replicas == 1 else f'all {rollout.replicas} pods'} down at once "
        f"(maxUnavailable resolves to "
        f"{rollout.max_unavailable}, maxSurge to {rollout.max_surge or 0}) while {RELATED} sends it "
        "traffic: every rollout leaves the Service without endpoints until a new pod is Ready",
        when=ctx.related("served"),
        hint="surge instead: maxSurge: 1 (or 25%) with maxUnavailable: 0, so an old pod goes only "
             "once a new one is available")
