"""A PodDisruptionBudget that allows no eviction: every node drain hangs.

## What it does
Flags a PodDisruptionBudget that allows no disruption of the pods it covers:
`maxUnavailable: 0` or `minAvailable: 100%` always, and a `minAvailable` that
reaches the covered workloads' replica count (for example `minAvailable: 1`
with `replicas: 1`). The workloads are those it selects in its application
scope; the finding names them and their replica count. A budget without a
`selector` covers no pod (nor does an empty one in policy/v1beta1; in policy/v1
`selector: {}` covers the whole namespace), so it blocks nothing and is not
flagged.

## Why is this bad?
`kubectl drain`, node upgrades and the cluster autoscaler evict pods through
the Eviction API, which refuses while the budget's `disruptionsAllowed` is 0
(disruption.go: healthy pods minus the desired healthy count). A budget that can
never allow one eviction blocks every drain of every node running such a pod:
node pools cannot be upgraded or scaled down, and managed upgrades stall or
force past the budget after a timeout. Plain deletes and rollouts ignore the
budget, so it does not even protect against those.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - {name: api, image: "example/api:1.2"}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  minAvailable: 1  # [PL603]
  selector: {matchLabels: {app: api}}
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - {name: api, image: "example/api:1.2"}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: api}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: api}}
```

## References
- Kubernetes: pkg/controller/disruption/disruption.go (getExpectedScale, computeDesiredHealthy, updatePdbStatus)
- Kubernetes docs: Specifying a Disruption Budget for your Application; Safely Drain a Node
- podlint docs/rollout.md
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding, budget_rule, selector_selects_nothing

CODE = "PL603"
NAME = "pdb-blocks-eviction"
SEVERITY = "warning"
SCOPE = "document"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    found = budget_rule(ctx)
    if found is None:
        return
    key, value, where = found
    name = (ctx.object_ref or "PodDisruptionBudget/").partition("/")[2]
    hint = ("allow at least one disruption: maxUnavailable: 1, or a minAvailable below the replica "
            "count (and run two or more replicas)")
    if selector_selects_nothing(ctx.data.get("spec"), str(ctx.data.get("apiVersion"))):
        return              # it covers no pod, so it blocks no drain
    if (key == "maxUnavailable" and value in (0, "0%")) or (key == "minAvailable" and value == "100%"):
        yield ctx.finding(where,
                          f'PodDisruptionBudget "{name}" sets {key}: {value}: it never allows an '
                          "eviction, so every node drain hangs on the pods it covers", hint=hint)
        return
    yield ctx.finding(where,
                      f'PodDisruptionBudget "{name}" ({key} {value}) allows no eviction of the pods it '
                      f"covers ({RELATED}): every node drain hangs on them",
                      when=ctx.related("budget", "full"), hint=hint)
