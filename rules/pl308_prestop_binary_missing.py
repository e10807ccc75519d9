"""A preStop execs a shell or coreutil that the image does not have.

## What it does
Flags an exec `preStop` hook whose program is a shell (`sh`, `bash`, `ash`,
`dash`), `sleep`, `kill`, `curl`, `wget` or another common utility, in an image
known to have no shell and no coreutils: `gcr.io/distroless/*` (not `:debug`),
images tagged `-distroless`, Chainguard `static`, and images built from scratch
or distroless such as CoreDNS and the Linkerd proxy (podlint.images lists them).
Images podlint does not know give no finding. PL306 says the same as advice for
any image; for these images this rule reports it instead.

## Why is this bad?
The hook cannot run: the kubelet records `FailedPreStopHook` (`exec: "sleep":
executable file not found in $PATH`) and sends the stop signal at once. The
sleep meant to let endpoints and load balancers catch up never happens, so
requests still routed to the pod fail on every rollout (coredns/helm#43,
linkerd/linkerd2#6723). The native `sleep` action (Kubernetes 1.30+) runs in
the kubelet and needs nothing in the image.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns}
spec:
  selector: {matchLabels: {app: coredns}}
  template:
    metadata: {labels: {app: coredns}}
    spec:
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.3
          ports: [{containerPort: 53, protocol: UDP}]
          lifecycle:
            preStop:
              exec: {command: ["sleep", "5"]}  # [PL308]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns}
spec:
  selector: {matchLabels: {app: coredns}}
  template:
    metadata: {labels: {app: coredns}}
    spec:
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.3
          ports: [{containerPort: 53, protocol: UDP}]
          lifecycle:
            preStop:
              sleep: {seconds: 5}
```

## References
- coredns/helm#43 (preStop `sleep` in the scratch-based CoreDNS image)
- linkerd/linkerd2#6723 (preStop in the distroless proxy image)
- GoogleContainerTools/distroless README: no shells or other programs; `:debug` adds busybox
- KEP-3960: Sleep action for PreStop hook (beta 1.30, GA 1.34)
"""
import os
from collections.abc import Iterator

from podlint.api import Context, Finding, shell_less

CODE = "PL308"
NAME = "prestop-binary-missing"
SEVERITY = "warning"
OPTIONS = {}

NATIVE_SLEEP = (1, 30)
# Programs a shell-less image does not have (a distroless image has the app and
# its runtime only).
MISSING = frozenset({"sh", "bash", "ash", "dash", "zsh", "busybox", "sleep", "kill", "pkill",
                     "killall", "curl", "wget", "nc", "echo", "cat", "test", "true", "timeout"})


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.sidecars + ctx.pod.containers:
        hook = container.pre_stop
        if hook is None or hook.handler.action != "exec" or not hook.handler.command:
            continue
        program = os.path.basename(hook.handler.command[0].strip())
        if program not in MISSING:
            continue
        image = shell_less(container.image)
        if image is None:
            continue
        if ctx.kubernetes_version >= NATIVE_SLEEP:
            hint = "use the native action preStop: {sleep: {seconds: N}}, which needs nothing in the image"
        else:
            hint = ("use a binary the image has, or an httpGet hook; the native sleep action "
                    "needs Kubernetes 1.30+")
        yield ctx.finding(
            hook.handler.location,
            f'preStop of container "{container.name}" execs `{program}`, which {container.image} '
            f"({image}) does not have: the hook fails (FailedPreStopHook) and the stop signal "
            "comes at once",
            container=container.name, hint=hint)
