"""Two volume mounts of one container at the same mountPath.

## What it does
Flags a `volumeMounts` entry whose `mountPath` is already used by an earlier
mount of the same container (and likewise `devicePath` among `volumeDevices`).

## Why is this bad?
The API server rejects the pod (`must be unique`). Before validation caught it,
one mount silently hid the other.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - {name: config, mountPath: /etc/app}
        - {name: secrets, mountPath: /etc/app}  # [PL504]
  volumes:
    - {name: config, configMap: {name: app-config}}
    - {name: secrets, secret: {secretName: app-secrets}}
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
        - {name: config, mountPath: /etc/app/config}
        - {name: secrets, mountPath: /etc/app/secrets}
  volumes:
    - {name: config, configMap: {name: app-config}}
    - {name: secrets, secret: {secretName: app-secrets}}
```

## References
- Kubernetes: pkg/apis/core/validation/validation.go, ValidateVolumeMounts (mountPath must be unique)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL504"
NAME = "duplicate-mount-path"
SEVERITY = "error"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.all_containers:
        first = {}
        for mount in container.volume_mounts:
            if mount.mount_path is None:
                continue
            key = (mount.device, mount.mount_path.rstrip("/") or "/")
            earlier = first.get(key)
            if earlier is None:
                first[key] = mount
                continue
            field = "devicePath" if mount.device else "mountPath"
            yield ctx.finding(
                mount.where(field, value=True),
                f'container "{container.name}" mounts "{mount.name}" at {mount.mount_path}, '
                f'where "{earlier.name}" is already mounted (line {earlier.location.line})',
                container=container.name,
                hint="give each mount its own path, or use subPath to mount single files")
