"""A PodDisruptionBudget that blocks evictions once the autoscaler scales down.

## What it does
Flags a PodDisruptionBudget that allows evictions at full scale but none when
the HorizontalPodAutoscaler of the workloads it covers sits at `minReplicas`
(for example `minAvailable: 2` with `minReplicas: 2`). The finding names the
autoscaler and the pod count at its minimum.

## Why is this bad?
An autoscaled workload spends quiet hours (nights, weekends: when node
maintenance is scheduled) at its minimum. There the budget's allowed
disruptions are 0 (disruption.go: healthy minus desired healthy), so every
drain hangs exactly when it is meant to run, while the same budget looked fine
at the replica count in the manifest.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
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
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2  # [PL604]
  selector: {matchLabels: {app: web}}
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
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
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
```

## References
- Kubernetes: pkg/controller/disruption/disruption.go (getExpectedScale, computeDesiredHealthy)
- Kubernetes docs: Horizontal Pod Autoscaling; Specifying a Disruption Budget for your Application
- podlint docs/rollout.md
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding, Location

CODE = "PL604"
NAME = "pdb-blocks-at-hpa-minimum"
SEVERITY = "warning"
SCOPE = "document"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    if not isinstance(data, dict) or data.get("kind") != "PodDisruptionBudget":
        return
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return
    key = next((k for k in ("maxUnavailable", "minAvailable") if spec.get(k) is not None), None)
    if key is None:
        return
    try:
        line, column = spec.lc.value(key)
        where = Location(ctx.path, line + 1, column + 1)
    except Exception:
        where = Location(ctx.path, ctx.document.line, ctx.document.column)
    name = (ctx.object_ref or "PodDisruptionBudget/").partition("/")[2]
    yield ctx.finding(
        where,
        f'PodDisruptionBudget "{name}" ({key} {spec.get(key)}) allows no eviction with {RELATED}: '
        "node drains hang whenever the workload is scaled down to its minimum",
        when=ctx.related("budget", "minimum"),
        hint="use maxUnavailable: 1, or keep minAvailable below the autoscaler's minReplicas")
