"""A Deployment whose progressDeadlineSeconds is not above its minReadySeconds.

## What it does
Flags a Deployment that sets `progressDeadlineSeconds` to a value less than or
equal to `minReadySeconds` (which defaults to 0). The finding points at the
`progressDeadlineSeconds` value. A Deployment without `progressDeadlineSeconds`
gets 600 and is judged against that only when `minReadySeconds` is 600 or more.

## Why is this bad?
The API server rejects the Deployment ("must be greater than minReadySeconds"),
so nothing is created. The rule exists because the check could never pass: a
new pod counts as available only after it has stayed Ready for
`minReadySeconds`, so a deadline no longer than that would fail every rollout
that waits for one.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  minReadySeconds: 120
  progressDeadlineSeconds: 60  # [PL010]
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  minReadySeconds: 120
  progressDeadlineSeconds: 600
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
```

## References
- Kubernetes source: pkg/apis/apps/validation/validation.go, ValidateDeploymentSpec
  ("must be greater than minReadySeconds")
- Kubernetes API: DeploymentSpec.progressDeadlineSeconds ("Defaults to 600s"), minReadySeconds
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, as_int, value_position

CODE = "PL010"
NAME = "progress-deadline-not-above-min-ready"
SEVERITY = "error"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    workload = ctx.workload
    if workload.kind != "Deployment":
        return
    spec = workload.obj.get("spec")
    if not isinstance(spec, dict):
        return
    min_ready = as_int(spec.get("minReadySeconds"), 0)
    explicit = as_int(spec.get("progressDeadlineSeconds"))
    if "progressDeadlineSeconds" in spec and explicit is None:
        return                              # a wrong type is PL003's
    deadline = explicit if explicit is not None else workload.strategy.progress_deadline
    if deadline is None:
        return                              # extensions/v1beta1: no deadline by default
    if min_ready is None or deadline > min_ready:
        return
    if explicit is None:
        where = value_position(spec, "minReadySeconds", ctx.path, workload.location)
        source = f"the default progressDeadlineSeconds {deadline}"
    else:
        where = value_position(spec, "progressDeadlineSeconds", ctx.path, workload.location)
        source = f"progressDeadlineSeconds {deadline}"
    yield ctx.finding(
        where, f"{source} is not above minReadySeconds {min_ready}; the API server rejects the "
        "Deployment (\"must be greater than minReadySeconds\")",
        hint=f"raise progressDeadlineSeconds above {min_ready} (a new pod needs minReadySeconds "
             "of Readiness before it counts as available), or lower minReadySeconds")
