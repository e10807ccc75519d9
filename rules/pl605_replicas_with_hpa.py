"""A workload sets spec.replicas while an autoscaler manages its replica count.

## What it does
Flags `spec.replicas` in a Deployment, StatefulSet, ReplicaSet or
DeploymentConfig that a HorizontalPodAutoscaler in its application scope
targets. The finding names the autoscaler.

## Why is this bad?
The autoscaler writes the replica count through the scale subresource; the
manifest's `spec.replicas` writes it back on every `kubectl apply` (and every
GitOps sync). A workload scaled to 12 under load drops to the manifest's 3 the
moment an unrelated change is applied, until the autoscaler catches up a
minute or more later. The Kubernetes docs recommend removing `spec.replicas`
when an autoscaler is enabled.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3  # [PL605]
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: "example/web:3.1"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 20
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
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
        - {name: web, image: "example/web:3.1"}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 20
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
```

## References
- Kubernetes docs: Horizontal Pod Autoscaling, "Migrating Deployments and StatefulSets to horizontal autoscaling"
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding, key_position

CODE = "PL605"
NAME = "replicas-with-hpa"
SEVERITY = "warning"
OPTIONS = {}

SCALED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "DeploymentConfig"})


def check(ctx: Context) -> Iterator[Finding]:
    workload = ctx.workload
    if workload.kind not in SCALED_KINDS:
        return
    spec = workload.obj.get("spec")
    if not isinstance(spec, dict) or "replicas" not in spec:
        return
    yield ctx.finding(
        key_position(spec, "replicas", ctx.path, workload.location),
        f"{workload.ref} sets replicas: {spec.get('replicas')} while {RELATED} scales it: every apply "
        "resets the replica count to this value until the autoscaler scales it back",
        when=ctx.related("autoscaled"),
        hint="remove spec.replicas from the manifest and let the autoscaler own it")
