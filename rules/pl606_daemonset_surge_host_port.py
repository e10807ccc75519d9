"""A DaemonSet surges its rolling update while its pods hold a host port.

## What it does
Flags a DaemonSet whose `updateStrategy.rollingUpdate.maxSurge` is above 0
while a container of its pod declares a `hostPort`, or the pod uses
`hostNetwork` and declares container ports (on the host network every
container port is a host port).

## Why is this bad?
With a surge the controller starts the new pod on a node *beside* the old one
and deletes the old one only once the new one is available (daemon/update.go
rollingUpdate; KEP-1591). Two pods cannot bind the same port on one node: the
scheduler's NodePorts filter keeps the new pod Pending on every node, the old
pod is never deleted, and the rollout never moves. `kubectl rollout status`
waits forever while nothing changes.

## Example
```yaml
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent}
spec:
  selector: {matchLabels: {app: node-agent}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1  # [PL606]
      maxUnavailable: 0
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers:
        - name: agent
          image: example/agent:1.4
          ports: [{containerPort: 9100, hostPort: 9100}]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-agent}
spec:
  selector: {matchLabels: {app: node-agent}}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 0
      maxUnavailable: 1
  template:
    metadata: {labels: {app: node-agent}}
    spec:
      containers:
        - name: agent
          image: example/agent:1.4
          ports: [{containerPort: 9100, hostPort: 9100}]
```

## References
- Kubernetes: pkg/controller/daemon/update.go rollingUpdate (surge: new pod first, old deleted when the new one is available)
- KEP-1591 "Allow DaemonSets to surge during update like Deployments" (host ports cannot surge)
- Kubernetes API reference: RollingUpdateDaemonSet.maxSurge
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, value_position

CODE = "PL606"
NAME = "daemonset-surge-host-port"
SEVERITY = "error"
OPTIONS = {}


def _surge(spec) -> tuple[object, object] | None:
    """The rollingUpdate mapping and its maxSurge, when it asks for a surge."""
    strategy = spec.get("updateStrategy") if isinstance(spec, dict) else None
    if not isinstance(strategy, dict) or strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return None
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        return None
    surge = rolling.get("maxSurge")
    if surge is None or isinstance(surge, bool) or surge in (0, "0%"):
        return None
    return rolling, surge


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.workload is None or ctx.workload.kind != "DaemonSet":
        return
    found = _surge(ctx.workload.obj.get("spec"))
    if found is None:
        return
    rolling, surge = found
    host_network = ctx.pod.raw.get("hostNetwork") is True
    for container in ctx.pod.all_containers:
        for port in container.ports:
            host_port = port.raw.get("hostPort") if isinstance(port.raw, dict) else None
            bound = host_port if isinstance(host_port, int) and host_port > 0 else None
            if bound is None and host_network and port.number:
                bound = port.number
            if bound is None:
                continue
            how = "hostPort" if host_port else "hostNetwork port"
            yield ctx.finding(
                value_position(rolling, "maxSurge", ctx.path, ctx.workload.location),
                f"{ctx.workload.ref} surges its rollout (maxSurge {surge}) but container "
                f'"{container.name}" binds {how} {bound} on the node: the new pod cannot be '
                "scheduled beside the old one, so the rollout never moves",
                container=container.name,
                hint="set maxSurge: 0 and maxUnavailable: 1 (replace pods node by node), "
                     "or drop the host port")
            return
