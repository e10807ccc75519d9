"""Two volumes of one pod share a name.

## What it does
Flags an entry of `spec.volumes` whose name an earlier entry already uses. A
StatefulSet volumeClaimTemplate with the name of a pod volume is not a duplicate
(the controller replaces the pod volume with the claim).

## Why is this bad?
The API server rejects the pod (`Duplicate value`). Mounts refer to volumes by
name, so the author meant two different things under one name.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts: [{name: data, mountPath: /data}]
  volumes:
    - {name: data, emptyDir: {}}
    - {name: data, configMap: {name: web}}  # [PL506]
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - {name: data, mountPath: /data}
        - {name: config, mountPath: /etc/web}
  volumes:
    - {name: data, emptyDir: {}}
    - {name: config, configMap: {name: web}}
```

## References
- Kubernetes: pkg/apis/core/validation/validation.go, ValidateVolumes (Duplicate value)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL506"
NAME = "duplicate-volume-name"
SEVERITY = "error"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    first = {}
    for volume in ctx.pod.volumes:
        if volume.name is None:
            continue
        earlier = first.get(volume.name)
        if earlier is None:
            first[volume.name] = volume
            continue
        yield ctx.finding(
            volume.where("name", value=True),
            f'volume name "{volume.name}" is already used by the {earlier.type or "volume"} '
            f"volume at line {earlier.location.line}; the API server rejects the pod",
            hint="rename one of them and update its volumeMounts")
