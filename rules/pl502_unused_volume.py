"""A volume that no container mounts.

## What it does
Flags entries of `spec.volumes` that no init container, sidecar or main
container mounts (`volumeMounts`) or attaches (`volumeDevices`). A volume mounted
only by an init container counts as used.

## Why is this bad?
Usually a typo on one side of the pair, or a leftover from a removed container:
the data the author meant to provide never reaches the app. An unused volume can
still block the pod: a missing ConfigMap, Secret or PVC keeps it in
`ContainerCreating`.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
  volumes:
    - name: cache  # [PL502]
      emptyDir: {}
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
        - {name: cache, mountPath: /var/cache/nginx}
  volumes:
    - name: cache
      emptyDir: {}
```

## References
- Kubernetes docs: Volumes
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL502"
NAME = "unused-volume"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    mounted = {m.name for c in ctx.pod.all_containers for m in c.volume_mounts}
    for volume in ctx.pod.volumes:
        if volume.name is None or volume.name in mounted:
            continue
        yield ctx.finding(
            volume.where("name", value=True),
            f'volume "{volume.name}" ({volume.type or "unknown type"}) is not mounted by any container',
            hint="mount it where it is needed, or remove it")
