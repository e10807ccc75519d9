"""A terminationMessagePath that is relative, or lies under one of the container's volume mounts.

## What it does
Flags a container's `terminationMessagePath` when it is not an absolute path,
or when it is at or below the `mountPath` of one of the same container's
`volumeMounts` (`/data/termination-log` with a volume mounted at `/data`).
Init containers, sidecars and main containers are all checked.

## Why is this bad?
The kubelet creates a fresh file on the node for each container and
bind-mounts it into the container at `terminationMessagePath`. The path
becomes a mount destination of the container runtime:

- a relative destination is not a place in the container's filesystem: runtimes
  reject it (runc: "mount destination ... not absolute"), and the container
  fails to be created;
- a destination inside another mount depends on the order in which the runtime
  stacks the two: when the volume lands on top, the app writes its message into
  the volume and the kubelet reads an empty file; when the file lands on top,
  a volume path the app expects is shadowed. A path equal to the mount path
  replaces the whole volume by the message file. Either way the message is not
  where one of the two parties looks.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  containers:
    - name: app
      image: example/worker:1.4
      terminationMessagePath: /data/termination-log  # [PL402]
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      emptyDir: {}
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  containers:
    - name: app
      image: example/worker:1.4
      terminationMessagePath: /var/run/worker/termination-log
      volumeMounts:
        - name: data
          mountPath: /data
  volumes:
    - name: data
      emptyDir: {}
```

## References
- Kubernetes API reference: Container.terminationMessagePath ("Will be mounted into the container's filesystem")
- Kubernetes: pkg/kubelet/kuberuntime/kuberuntime_container.go makeMounts (the termination-log bind mount)
"""
import posixpath
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL402"
NAME = "termination-message-path-invalid"
SEVERITY = "warning"
OPTIONS = {}


def _inside(path: str, mount: str) -> bool:
    mount = posixpath.normpath(mount)
    path = posixpath.normpath(path)
    if mount == "/":
        return False        # a volume at / is not a thing the runtime allows anyway
    return path == mount or path.startswith(mount + "/")


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.all_containers:
        if not container.has("terminationMessagePath"):
            continue
        path = container.termination_message_path
        where = container.where("terminationMessagePath", value=True)
        if not path.startswith("/"):
            yield ctx.finding(
                where,
                f'terminationMessagePath "{path}" of container "{container.name}" is relative: '
                "the kubelet bind-mounts the message file there, and runtimes reject a relative "
                "mount destination",
                container=container.name,
                hint="use an absolute path such as /dev/termination-log")
            continue
        for mount in container.volume_mounts:
            if mount.device or not mount.mount_path or not mount.mount_path.startswith("/"):
                continue
            if _inside(path, mount.mount_path):
                yield ctx.finding(
                    where,
                    f'terminationMessagePath {path} of container "{container.name}" lies under '
                    f'volume "{mount.name}" mounted at {mount.mount_path}: the message file and the '
                    "volume are stacked mounts, and the kubelet may read an empty file",
                    container=container.name,
                    hint="move the termination message outside every volume mount, e.g. "
                         "/dev/termination-log")
                break
