"""A hostPath volume ties the pod to one node's disk.

## What it does
Flags `hostPath` volumes in pods that are not DaemonSets (node agents such as log
collectors and CNI plugins use hostPath on purpose; set `allow-in-daemonsets` to
false to flag them too).

## Why is this bad?
The data lives on whichever node the pod lands on: a rescheduled pod finds an
empty or different directory, two replicas on one node share it, and the pod
can read or write the node's files, a common path to a node compromise.

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
          image: nginx:1.27
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - name: data
          hostPath: {path: /srv/data}  # [PL505]
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
          volumeMounts: [{name: data, mountPath: /data}]
      volumes:
        - name: data
          persistentVolumeClaim: {claimName: web-data}
```

## Options
- `allow-in-daemonsets` (boolean, default true): do not flag DaemonSets.

## References
- Kubernetes docs: Volumes, hostPath ("HostPath volumes present many security risks")
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL505"
NAME = "hostpath-volume"
SEVERITY = "warning"
OPTIONS = {"allow-in-daemonsets": {"type": "boolean", "default": True}}


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.pod.kind == "DaemonSet" and ctx.options["allow-in-daemonsets"]:
        return
    for volume in ctx.pod.volumes:
        if volume.type != "hostPath":
            continue
        path = volume.source.get("path") if isinstance(volume.source, dict) else None
        yield ctx.finding(
            volume.where("hostPath"),
            f'volume "{volume.name}" mounts the node\'s {path or "host path"}: the pod\'s data '
            "depends on the node it lands on",
            hint="use a persistentVolumeClaim, or emptyDir for scratch data")
