"""An apiVersion that the target Kubernetes version no longer serves, or has deprecated.

## What it does
Checks the `apiVersion` of every document (not only pod-carrying kinds) against
the Kubernetes deprecation guide for the target version (`--kubernetes-version`,
config `kubernetes-version`, default the newest version podlint knows):

- removed in the target version or earlier: **error**, with the version that
  removed it and the replacement;
- deprecated but still served by the target version: **warning**, with the
  version that will remove it.

It covers every group/version/kind pair of the guide: the workload kinds
(`extensions/v1beta1`, `apps/v1beta1`, `apps/v1beta2` Deployments, DaemonSets,
ReplicaSets, StatefulSets; `batch/v1beta1` CronJob), the kinds commonly found
beside them (Ingress, PodDisruptionBudget, HorizontalPodAutoscaler,
PodSecurityPolicy, NetworkPolicy, PriorityClass, RBAC, CRDs, admission
webhooks, FlowSchema...). The hint says what changes when migrating: moving a
Deployment to `apps/v1` makes `spec.selector` required and immutable.

## Why is this bad?
The API server answers a removed apiVersion with `no matches for kind
"Deployment" in version "apps/v1beta1"`: the manifest cannot be applied at all,
typically discovered during a cluster upgrade. A deprecated one works today and
breaks at the listed release.

## Example
```yaml
apiVersion: extensions/v1beta1  # [PL004]
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
```

For a cluster on 1.24, `policy/v1beta1` is deprecated (warning), not yet removed:

```podlint-config
kubernetes-version: "1.24"
```
```yaml
apiVersion: policy/v1beta1  # [PL004]
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
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
        - name: app
          image: nginx:1.27
```

## References
- Kubernetes docs: Deprecated API Migration Guide (reference/using-api/deprecation-guide)
- Kubernetes: k8s.io/api `zz_generated.prerelease-lifecycle.go` (APILifecycleDeprecated, APILifecycleRemoved)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, Location, deprecation_status, value_position

CODE = "PL004"
NAME = "deprecated-api-version"
SEVERITY = "error"      # removed; a deprecated-but-served apiVersion is a warning
OPTIONS = {}
SCOPE = "document"      # every object, not only pod-carrying ones


def _version(pair) -> str:
    return f"{pair[0]}.{pair[1]}"


def check(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    if not isinstance(data, dict):
        return
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return
    found = deprecation_status(api_version, kind, ctx.kubernetes_version)
    if found is None:
        return
    state, row = found
    target = _version(ctx.kubernetes_version)
    document = Location(ctx.path, ctx.document.line, ctx.document.column)
    where = value_position(data, "apiVersion", ctx.path, document)
    if row.replacement:
        instead = f"use {row.replacement}"
    else:
        instead = f"{kind} has no replacement"
    subject = f"{ctx.object_ref or kind} uses {api_version}"
    if state == "removed":
        message = (f"{subject}, which Kubernetes has not served since {_version(row.removed_in)} "
                   f"(target {target}): {instead}")
        severity = "error"
    else:
        since = f" since {_version(row.deprecated_in)}" if row.deprecated_in else ""
        removal = (f"no longer served from {_version(row.removed_in)}" if row.removed_in
                   else "to be removed")
        message = f"{subject}, deprecated{since} and {removal} (target {target}): {instead}"
        severity = "warning"
    if row.replacement:
        hint = f"change apiVersion to {row.replacement}"
        hint += f"; {row.note}" if row.note else ""
    else:
        hint = row.note or f"remove the {kind}"
    yield ctx.finding(where, message, hint=hint, severity=severity)
