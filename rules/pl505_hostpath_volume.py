"""A hostPath volume ties the pod to one node's disk.

## What it does
Flags `hostPath` volumes in pods that are not DaemonSets (node agents such as log
collectors and CNI plugins use hostPath on purpose; set `allow-in-daemonsets` to
false to flag them too).

Control-plane static Pods are not flagged either. kubeadm writes etcd,
kube-apiserver, kube-controller-manager and kube-scheduler as Pods in
`kube-system` on the host network, labelled `tier: control-plane` (or with a
`component` / `k8s-app` label naming the component), into the node's
`/etc/kubernetes/manifests`; the kubelet runs them on that node only, and they
exist to serve that node's certificates (`/etc/kubernetes/pki`) and data
(`/var/lib/etcd`). Both of the rule's concerns are moot there: the pod is never
rescheduled elsewhere, and the node's files are what it is for. The same object
shape anywhere else (a Deployment, another namespace, off the host network) is
still flagged.

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
- Kubernetes docs: Create static Pods; kubeadm implementation details, "Generate static Pod manifest files for control plane components"
- Kubernetes docs: Volumes, hostPath ("HostPath volumes present many security risks")
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, control_plane_static_pod

CODE = "PL505"
NAME = "hostpath-volume"
SEVERITY = "warning"
OPTIONS = {"allow-in-daemonsets": {"type": "boolean", "default": True}}


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.pod.kind == "DaemonSet" and ctx.options["allow-in-daemonsets"]:
        return
    if control_plane_static_pod(ctx.pod):
        return          # kubeadm's etcd, kube-apiserver, ...: bound to their node by design
    for volume in ctx.pod.volumes:
        if volume.type != "hostPath":
            continue
        path = volume.source.get("path") if isinstance(volume.source, dict) else None
        yield ctx.finding(
            volume.where("hostPath"),
            f'volume "{volume.name}" mounts the node\'s {path or "host path"}: the pod\'s data '
            "depends on the node it lands on",
            hint="use a persistentVolumeClaim, or emptyDir for scratch data")
