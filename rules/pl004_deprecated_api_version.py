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

## Fix
`podlint fix` moves an apiVersion to its successor where the edit is
mechanical: Deployments, DaemonSets, ReplicaSets and StatefulSets of
`extensions/v1beta1`, `apps/v1beta1` and `apps/v1beta2` to `apps/v1`, adding
`spec.selector` from the template labels when there is none (not when the
object sets `rollbackTo` or `templateGeneration`, which apps/v1 dropped); CronJob
to `batch/v1`; PodDisruptionBudget to `policy/v1` (not with an empty selector,
which policy/v1 reads as every pod); HorizontalPodAutoscaler `autoscaling/v2beta2`
to `autoscaling/v2`; the beta versions whose successor has the same fields
(RBAC `v1beta1`, `extensions/v1beta1` NetworkPolicy, StorageClass,
CSIStorageCapacity, PriorityClass, APIService, Lease); Ingress to
`networking.k8s.io/v1`, with `backend` moved
to `defaultBackend`, `serviceName`/`servicePort` to `service.name` and
`service.port.number` (or `.name`), and `pathType: ImplementationSpecific`, the
old default, where no path type is set. Every other apiVersion (v2beta1 HPA
metrics, CRDs, webhooks, PodSecurityPolicy, ...) needs a person: the finding's
hint says what changes. The defaults that change with the version (listed in
the hint) are not pinned.

Before:
```yaml
apiVersion: extensions/v1beta1   # old cluster
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: web
        tier: "1"
    spec:
      containers:
        - name: app
          image: nginx:1.27
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: web}
spec:
  rules:
    - http:
        paths:
          - path: /
            backend:
              serviceName: web
              servicePort: 80
```

After:
```yaml
apiVersion: apps/v1   # old cluster
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
      tier: "1"
  template:
    metadata:
      labels:
        app: web
        tier: "1"
    spec:
      containers:
        - name: app
          image: nginx:1.27
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: ImplementationSpecific
            backend:
              service:
                name: web
                port:
                  number: 80
```

## References
- Kubernetes docs: Deprecated API Migration Guide (reference/using-api/deprecation-guide)
- Kubernetes: k8s.io/api `zz_generated.prerelease-lifecycle.go` (APILifecycleDeprecated, APILifecycleRemoved)
"""
from collections.abc import Iterator

from podlint.api import (Context, Finding, Fix, Location, ReplaceKey, SetValue, deprecation_status,
                         value_position)

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


# Migrations whose edit is mechanical: the successor reads the same fields, or
# moves them in a way that follows from the old value alone.
WORKLOADS = {("extensions/v1beta1", "Deployment"), ("apps/v1beta1", "Deployment"),
             ("apps/v1beta2", "Deployment"), ("extensions/v1beta1", "DaemonSet"),
             ("apps/v1beta2", "DaemonSet"), ("apps/v1beta1", "StatefulSet"),
             ("apps/v1beta2", "StatefulSet"), ("extensions/v1beta1", "ReplicaSet"),
             ("apps/v1beta1", "ReplicaSet"), ("apps/v1beta2", "ReplicaSet")}
SAME_FIELDS = {("batch/v1beta1", "CronJob"), ("batch/v2alpha1", "CronJob"),
               ("policy/v1beta1", "PodDisruptionBudget"),
               ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
               # beta versions whose successor has the very same fields (the API
               # server converts between them without loss)
               ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
               ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"),
               ("rbac.authorization.k8s.io/v1beta1", "Role"),
               ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"),
               ("extensions/v1beta1", "NetworkPolicy"),
               ("storage.k8s.io/v1beta1", "StorageClass"),
               ("storage.k8s.io/v1beta1", "CSIStorageCapacity"),
               ("scheduling.k8s.io/v1beta1", "PriorityClass"),
               ("apiregistration.k8s.io/v1beta1", "APIService"),
               ("coordination.k8s.io/v1beta1", "Lease")}
INGRESSES = {("extensions/v1beta1", "Ingress"), ("networking.k8s.io/v1beta1", "Ingress")}
# Fields the apps/v1 versions no longer have: a migration would drop meaning.
GONE_IN_APPS_V1 = ("rollbackTo", "templateGeneration")


def fix(ctx: Context) -> Iterator[Fix]:
    """apiVersion moved to its successor where the edit is mechanical (see the
    Fix section); the rest is left for a person, the finding's hint says what."""
    data = ctx.data
    for finding in check(ctx):
        api_version, kind = data.get("apiVersion"), data.get("kind")
        row = deprecation_status(api_version, kind, ctx.kubernetes_version)[1]
        if row.replacement is None:
            yield Fix(finding, (), f"{kind} has no successor to migrate to")
            continue
        key = (api_version, kind)
        spec = data.get("spec")
        changes = [SetValue(data, "apiVersion", row.replacement)]
        if key in WORKLOADS:
            more = _workload_changes(spec)
        elif key in SAME_FIELDS:
            more = [] if not _empty_pdb_selector(kind, spec) else None
        elif key in INGRESSES:
            more = _ingress_changes(spec)
        else:
            more = None
        if more is None:
            yield Fix(finding, (), f"{api_version} {kind} to {row.replacement} is not a mechanical "
                                   "edit (see the finding's hint)")
            continue
        yield Fix(finding, tuple(changes + more), f"apiVersion: {row.replacement}"
                  + (" with spec.selector from the template labels" if any(
                      getattr(c, "key", None) == "selector" for c in more) else ""))


def _workload_changes(spec) -> list | None:
    if not isinstance(spec, dict) or any(field in spec for field in GONE_IN_APPS_V1):
        return None
    if "selector" in spec:
        return []
    template = spec.get("template")
    metadata = template.get("metadata") if isinstance(template, dict) else None
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    if not isinstance(labels, dict) or not labels or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in labels.items()):
        return None
    return [SetValue(spec, "selector", {"matchLabels": dict(labels)}, before="template")]


def _empty_pdb_selector(kind: str, spec) -> bool:
    """policy/v1 reads an empty selector as every pod of the namespace, v1beta1
    as none: not a mechanical change."""
    return kind == "PodDisruptionBudget" and isinstance(spec, dict) and spec.get("selector") == {}


def _ingress_changes(spec) -> list | None:
    """backend -> defaultBackend, serviceName/servicePort -> service.name/port,
    pathType ImplementationSpecific (the v1beta1 default) where none is set."""
    if not isinstance(spec, dict):
        return None
    changes = []
    if "backend" in spec:
        moved = _backend(spec["backend"])
        if moved is None or "defaultBackend" in spec:
            return None
        changes.append(ReplaceKey(spec, "backend", "defaultBackend", moved))
    rules = spec.get("rules", [])
    if not isinstance(rules, list):
        return None
    for rule in rules:
        if not isinstance(rule, dict):
            return None
        http = rule.get("http")
        if http is None:
            continue
        paths = http.get("paths") if isinstance(http, dict) else None
        if not isinstance(paths, list):
            return None
        for path in paths:
            if not isinstance(path, dict) or "backend" not in path:
                return None
            if _v1_backend(path["backend"]) and "pathType" in path:
                continue                # already written the networking.k8s.io/v1 way
            moved = _backend(path["backend"])
            if moved is None:
                return None
            if "pathType" not in path:
                changes.append(SetValue(path, "pathType", "ImplementationSpecific", before="backend"))
            changes.append(SetValue(path, "backend", moved))
    return changes


def _v1_backend(backend) -> bool:
    service = backend.get("service") if isinstance(backend, dict) else None
    return set(backend) == {"service"} and isinstance(service, dict) and "name" in service \
        and isinstance(service.get("port"), dict) if isinstance(backend, dict) else False


def _backend(backend) -> dict | None:
    if not isinstance(backend, dict):
        return None
    if set(backend) == {"resource"}:
        return dict(backend)
    if set(backend) != {"serviceName", "servicePort"} or not isinstance(backend["serviceName"], str):
        return None
    port = backend["servicePort"]
    if isinstance(port, bool):
        return None
    if isinstance(port, int):
        target = {"number": port}
    elif isinstance(port, str) and port and not port.isdigit():
        target = {"name": port}
    else:
        return None
    return {"service": {"name": backend["serviceName"], "port": target}}
