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

When the path is the node's own system rather than data on it (`/`, `/proc`,
`/sys`, `/dev`, `/etc`, `/usr`, kubelet or container-runtime state, a `.sock`
such as `/var/run/docker.sock`), the message says so and the hint points at a
DaemonSet: a pod that reads the node is a node agent, and a Deployment or
ReplicationController running one lands on some nodes twice and on others not
at all (kubernetes/examples' archived sysdig agent is a 100-replica
ReplicationController with a hostPort standing in for a DaemonSet).

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


# Paths that are the node itself rather than data kept on it: the root, kernel and
# device trees, system binaries and config, kubelet and container-runtime state.
NODE_SYSTEM_DIRS = ("/proc", "/sys", "/dev", "/boot", "/lib/modules", "/usr", "/etc", "/bin",
                    "/sbin", "/lib", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd",
                    "/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio")


def node_system_path(path: str | None) -> bool:
    """`/`, `/proc/...`, `/var/run/docker.sock`, ...: the node's own system, not data on it."""
    if not isinstance(path, str) or not path.startswith("/"):
        return False
    clean = path.rstrip("/") or "/"
    if clean == "/" or clean.endswith(".sock"):
        return True
    return any(clean == d or clean.startswith(d + "/") for d in NODE_SYSTEM_DIRS)


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.pod.kind == "DaemonSet" and ctx.options["allow-in-daemonsets"]:
        return
    if control_plane_static_pod(ctx.pod):
        return          # kubeadm's etcd, kube-apiserver, ...: bound to their node by design
    for volume in ctx.pod.volumes:
        if volume.type != "hostPath":
            continue
        path = volume.source.get("path") if isinstance(volume.source, dict) else None
        if node_system_path(path):
            yield ctx.finding(
                volume.where("hostPath"),
                f'volume "{volume.name}" mounts the node\'s {path}: the pod reads or changes the '
                "node itself, on whichever node it lands",
                hint="run a node agent as a DaemonSet (not flagged); otherwise drop the mount, or "
                     "narrow it to the one file or directory needed and set readOnly: true")
            continue
        yield ctx.finding(
            volume.where("hostPath"),
            f'volume "{volume.name}" mounts the node\'s {path or "host path"}: the pod\'s data '
            "depends on the node it lands on",
            hint="use a persistentVolumeClaim, or emptyDir for scratch data")
