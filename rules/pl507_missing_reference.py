"""A ConfigMap, Secret, PersistentVolumeClaim or ServiceAccount that no linted file defines.

## What it does
Collects every object a pod needs by name: ConfigMaps and Secrets of volumes
(also inside projected volumes), of `env[].valueFrom` and of `envFrom`;
PersistentVolumeClaims of volumes; `imagePullSecrets`; the
`serviceAccountName` (other than `default`). Once every file of the run has
been read, each one that no linted document defines in the same namespace is
reported at the line that names it. References marked `optional: true`
are skipped: the pod starts without them.

What counts as defined:
- an object of that kind and name in the pod's application scope: the same
  folder, the same stream (stdin), or folders a `kustomization.yaml` ties
  together (`resources`, `bases`, `components`, patches), in the same
  namespace; a document without a namespace may share any, since it lands
  wherever it is applied, and a kustomization's `namespace:` puts everything
  it builds in one;
- a ConfigMap or Secret that a `configMapGenerator` or `secretGenerator` of a
  kustomization in scope makes: the pod names it without the hash suffix and
  kustomize rewrites the reference, so it counts with or without
  `disableNameSuffixHash`;
- a claim of a StatefulSet's `volumeClaimTemplates`: the controller creates
  `<template>-<pod>` per replica and puts it in place of the pod volume of the
  template's name.

The rule is opt-in (`--extend-select PL507`, or `extend-select: [PL507]` in the
config): it is only right when the linted files hold the whole application.
Secrets created by an operator, a sealed-secrets controller or by hand are
reported too; silence those with `per-path-ignores` or the `podlint/ignore`
annotation.

With pre-commit, which passes only the changed files and splits them across
processes, run it over the whole tree in one process:

```
- id: podlint
  args: [--extend-select, PL507, .]
  pass_filenames: false
  require_serial: true
```

## Why is this bad?
A pod whose ConfigMap, Secret or PVC does not exist stays in
`ContainerCreating` (`MountVolume.SetUp failed ... not found`) or
`CreateContainerConfigError`; a missing ServiceAccount makes the controller
fail to create the pod at all (`serviceaccount "x" not found`), visible only
in the ReplicaSet's events. A renamed ConfigMap whose references were not
updated is a classic broken rollout.

## Example
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
          image: example/web:3.2
          envFrom:
            - configMapRef: {name: web-settings}  # [PL507]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {LOG_LEVEL: info}
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
          image: example/web:3.2
          envFrom:
            - configMapRef: {name: web-config}
            - secretRef: {name: web-extra, optional: true}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data: {LOG_LEVEL: info}
```

## References
- Kubernetes docs: ConfigMaps ("The ConfigMap must exist ... unless marked as optional"); Secrets; Persistent Volumes
- Kubernetes docs: Configure Service Accounts for Pods
- pre-commit: `pass_filenames`, `require_serial` in .pre-commit-config.yaml
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL507"
NAME = "missing-reference"
SEVERITY = "info"
OPTIONS = {}
DEFAULT = False         # only right when the linted files hold the whole application


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    seen = set()
    entries = [(None, ref) for ref in pod.references]
    for volume in pod.volumes:
        entries.extend((None, ref) for ref in volume.references)
    for container in pod.all_containers:
        entries.extend((container.name, ref) for ref in container.references)
    claims = pod.claim_templates
    for container, ref in entries:
        if ref.optional or not ref.name:
            continue
        if ref.kind == "PersistentVolumeClaim" and (
                ref.name in claims or ref.via.removeprefix("volume ") in claims):
            continue            # the StatefulSet makes this claim from its volumeClaimTemplate
        where = ref.name_location or ref.location
        key = (ref.kind, ref.name, where)
        if key in seen:
            continue
        seen.add(key)
        namespace = f' in namespace "{pod.namespace}"' if pod.namespace else ""
        yield ctx.finding(
            where,
            f'{ref.kind} "{ref.name}" ({ref.via}) is not defined in the linted files{namespace}',
            container=container, when=ctx.undefined(ref.kind, ref.name),
            hint=_hint(ref.kind))


def _hint(kind: str) -> str:
    if kind in ("ConfigMap", "Secret"):
        return (f"add the {kind} to the manifests, fix the name, or mark the reference "
                "optional: true if the pod can start without it")
    return f"add the {kind} to the manifests or fix the name"
