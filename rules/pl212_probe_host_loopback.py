"""A probe or hook that sends its check to localhost, from a pod with its own network.

## What it does
Flags an `httpGet` or `tcpSocket` probe (liveness, readiness, startup) or
lifecycle hook (postStart, preStop) whose `host` is a loopback address
(`localhost`, `127.0.0.1` or any 127.x.y.z, `::1`) in a pod without
`hostNetwork: true`.

## Why is this bad?
The kubelet runs these checks itself, from the node's network namespace, not
from inside the pod. `host` names the machine to connect to: leave it out and
the kubelet uses the pod's IP; set it to `localhost` and the check goes to the
node. A readiness probe then reports the health of whatever listens on that
node port (usually nothing: the pod is never Ready; sometimes another service:
the pod is Ready while the app is down), and a liveness probe restarts a
healthy container or never restarts a hung one. With `hostNetwork: true` the
pod shares the node's network and loopback is right, so such pods are not
flagged. (An exec probe runs inside the container, where localhost is the pod:
it is not affected.)

Control-plane static Pods are not flagged either, even when `hostNetwork` is
missing (the house-wide `control_plane_static_pod` decides, as for PL204 and
PL505). kubeadm writes kube-apiserver, etcd, kube-controller-manager and
kube-scheduler with `hostNetwork: true` and probes on `host: 127.0.0.1`; a
`kube-system` Pod labelled `tier: control-plane` with such a component is a
copy of that output, and copies trimmed for policy tests (checkov's examples)
drop `hostNetwork`. On the real object loopback is right, and the hint's fix
(remove `host`) would be wrong: nobody changes the probe.

Regular init containers are PL103's: the API server rejects probes and
lifecycle hooks on them, so the fix is to remove the probe, not its `host`
(gatekeeper's `disallowed_init_probe` samples). Sidecars (init containers with
`restartPolicy: Always`) are checked like main containers.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      ports: [{containerPort: 80}]
      readinessProbe:
        httpGet: {host: localhost, path: /healthz, port: 80}  # [PL212]
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
      ports: [{containerPort: 80}]
      readinessProbe:
        httpGet: {path: /healthz, port: 80}
```

## References
- Kubernetes API: HTTPGetAction.host ("Host name to connect to, defaults to the pod IP"),
  TCPSocketAction.host ("Optional: Host name to connect to, defaults to the pod IP")
- Kubernetes source: pkg/kubelet/prober/prober.go, runProbe (host defaults to status.PodIP)
- Kubernetes source: cmd/kubeadm/app/util/staticpod/utils.go, LivenessProbe (host 127.0.0.1
  for the control-plane components, which run with hostNetwork)
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, "HTTP probes" (host:
  "you probably want to set Host in httpHeaders instead")
"""
import ipaddress
from collections.abc import Iterator

from podlint.api import Context, Finding, control_plane_static_pod

CODE = "PL212"
NAME = "probe-host-loopback"
SEVERITY = "warning"
OPTIONS = {}


def is_loopback(host: str) -> bool:
    text = host.strip().strip("[]").lower()
    if text == "localhost" or text.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if isinstance(pod.raw, dict) and pod.raw.get("hostNetwork") is True:
        return
    if control_plane_static_pod(pod):
        return          # kubeadm's output runs on the host network; trimmed copies drop it
    for container in pod.sidecars + pod.containers:     # regular init containers: PL103
        checks = [(p.field_name, p.handler) for p in container.probes]
        checks += [(h.kind, h.handler) for h in container.hooks]
        for field, handler in checks:
            if handler.action not in ("httpGet", "tcpSocket") or not handler.host:
                continue
            if not is_loopback(handler.host):
                continue
            yield ctx.finding(
                handler.where("host", value=True),
                f'{field} of container "{container.name}" connects to host {handler.host}: the '
                "kubelet runs it from the node, so it checks the node, not this pod (no hostNetwork)",
                container=container.name,
                hint="remove host (the kubelet then uses the pod IP); to send a Host header, "
                     "use httpHeaders: [{name: Host, value: ...}]")
