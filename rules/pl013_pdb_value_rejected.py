"""A PodDisruptionBudget whose minAvailable or maxUnavailable the API server refuses.

## What it does
Checks a PodDisruptionBudget's numbers the way the API server validates them
(policy validation `ValidatePodDisruptionBudgetSpec`): `minAvailable` and
`maxUnavailable` may not both be set; each must be a non-negative integer or a
percentage written `N%`, and a percentage may not exceed 100 %. The finding
points at the offending value (at `spec` when both are set).

## Why is this bad?
The object is refused ("must not be greater than 100%"), so the budget does
not exist: whatever it was meant to protect is not protected, and a pipeline
applying the file fails. The schema cannot catch it (both fields are
int-or-string). A percentage above 100 % reads like a safety margin
(`minAvailable: 150%` of an autoscaled Deployment) but is only a rejection.
PL603 and PL604, which judge what a budget allows, stay quiet on a budget this
rule reports: a refused budget blocks no drain.

## Example
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: zookeeper}
spec:
  minAvailable: 150%  # [PL013]
  selector: {matchLabels: {app: zookeeper}}
```

Use instead:
```yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: zookeeper}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: zookeeper}}
```

## References
- Kubernetes: pkg/apis/policy/validation/validation.go (ValidatePodDisruptionBudgetSpec)
- Kubernetes: pkg/apis/apps/validation (ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)
- Kubernetes docs: Specifying a Disruption Budget for your Application
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, Location, budget_rejections, key_position, value_position

CODE = "PL013"
NAME = "pdb-value-rejected"
SEVERITY = "error"
SCOPE = "document"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    if not isinstance(data, dict) or data.get("kind") != "PodDisruptionBudget":
        return
    spec = data.get("spec")
    for key, problem in budget_rejections(spec):
        document = Location(ctx.path, ctx.document.line, ctx.document.column)
        where = (value_position(spec, key, ctx.path, document) if key is not None
                 else key_position(data, "spec", ctx.path, document))
        name = (ctx.object_ref or "PodDisruptionBudget/").partition("/")[2]
        yield ctx.finding(where, f'PodDisruptionBudget "{name}": {problem}; the API server rejects '
                                 "it, so the budget does not exist",
                          hint="use a count or a percentage of at most 100% in one of minAvailable "
                               "or maxUnavailable (maxUnavailable: 1 is the usual choice)")
