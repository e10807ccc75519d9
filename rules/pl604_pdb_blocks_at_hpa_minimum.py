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

from podlint.api import RELATED, Context, Finding, budget_rule

CODE = "PL604"
NAME = "pdb-blocks-at-hpa-minimum"
SEVERITY = "warning"
SCOPE = "document"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    found = budget_rule(ctx)
    if found is None:
        return
    key, value, where = found
    name = (ctx.object_ref or "PodDisruptionBudget/").partition("/")[2]
    yield ctx.finding(
        where,
        f'PodDisruptionBudget "{name}" ({key} {value}) allows no eviction with {RELATED}: '
        "node drains hang whenever the workload is scaled down to its minimum",
        when=ctx.related("budget", "minimum"),
        hint="use maxUnavailable: 1, or keep minAvailable below the autoscaler's minReplicas")
