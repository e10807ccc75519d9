"""A rolling update of a served workload may leave no pod available.

## What it does
Flags a Deployment (or DeploymentConfig) whose `maxUnavailable`, resolved as
the controller resolves it, equals `replicas`, whatever `maxSurge` is, and a
StatefulSet of two or more replicas whose `maxUnavailable` covers them all,
when a Service in the workload's application scope sends it traffic. The
finding names the Service.

A Deployment's `maxUnavailable` is an integer or a percentage of `replicas`
rounded down, capped at `replicas`; when it and `maxSurge` both resolve to 0
the controller uses 1 (`ResolveFenceposts`), so one replica with `maxSurge: 0`
and `maxUnavailable: 25%` is flagged too.

## Why is this bad?
The controller keeps at least `replicas - maxUnavailable` pods available; when
`maxUnavailable` equals `replicas` that floor is 0. In its first sync it creates
the surge pods (`NewRSNewReplicas`), then `reconcileOldReplicaSets` may scale
down `allPods - minAvailable - newUnavailable` old pods: `(replicas + surge) -
0 - surge = replicas`, every old pod, before any new pod is available. A surge
does not help: the surge pods are counted as unavailable and the old ones go
anyway. The Service then has no ready endpoint until a new pod is Ready
(`podlint explain` shows the step with 0 available; the terminating old pod
may at most serve as kube-proxy's fallback while it drains). Every rollout,
even a config change, is an outage.

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
      maxSurge: 1
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
- Kubernetes: pkg/controller/deployment/util/deployment_util.go ResolveFenceposts, MaxUnavailable, NewRSNewReplicas; rolling.go reconcileOldReplicaSets (maxScaledDown)
- Kubernetes: pkg/controller/statefulset/stateful_set_control.go getStatefulSetMaxUnavailable
- Kubernetes docs: EndpointSlices, "Terminating" (terminating endpoints as a fallback)
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
    pods = "its only pod" if rollout.replicas == 1 else f"all {rollout.replicas} pods"
    if workload.kind == "StatefulSet":
        limits = f"maxUnavailable resolves to {rollout.max_unavailable} of {rollout.replicas} replicas"
        hint = "lower maxUnavailable below replicas (1 replaces one pod at a time)"
    else:
        limits = (f"maxUnavailable resolves to {rollout.max_unavailable} of {rollout.replicas} "
                  f"replica{'s' if rollout.replicas != 1 else ''}, maxSurge to {rollout.max_surge or 0}")
        hint = ("surge instead: maxSurge: 1 (or 25%) with maxUnavailable: 0, so an old pod goes only "
                "once a new one is available")
    yield ctx.finding(
        _max_unavailable_location(ctx),
        f"{workload.ref}'s rolling update may take {pods} down at once ({limits}) while it receives "
        f"traffic from {RELATED}: every rollout leaves it without ready endpoints until a new pod is Ready",
        when=ctx.related("served"), hint=hint)
