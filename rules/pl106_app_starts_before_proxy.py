"""The app starts before the injected mesh proxy can carry its traffic.

## What it does
Flags the injection annotation of a pod whose mesh proxy is injected as a
regular (legacy) container that does not hold the app: Istio without
`holdApplicationUntilProxyStarts` (the proxy is appended after the app
containers, which start first), Linkerd with `config.linkerd.io/proxy-await:
disabled`. Under a legacy Istio proxy it also flags each regular init
container, which runs before the proxy exists. A native sidecar proxy, Istio's hold (the proxy first, with a
postStart `pilot-agent wait`) and Linkerd's default await (postStart
`linkerd-await`) start the app only once the proxy is ready: no finding.

## Why is this bad?
Until the proxy is ready, iptables already send the app's connections to it:
calls made at startup (fetching config, connecting to a database, registering)
fail with connection refused, and apps that do not retry crash-loop on every
rollout. Many apps make no such call at startup, hence info, and opt-in:
select PL106 (or app-starts-before-proxy) to turn it on.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata:
      labels: {app: worker}
      annotations:
        sidecar.istio.io/inject: "true"  # [PL106]
        sidecar.istio.io/nativeSidecar: "false"
    spec:
      containers:
        - name: worker
          image: example/worker:1.0
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata:
      labels: {app: worker}
      annotations:
        sidecar.istio.io/inject: "true"
        sidecar.istio.io/nativeSidecar: "false"
        proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'
    spec:
      containers:
        - name: worker
          image: example/worker:1.0
```

## References
- Istio injection template and webhook.go reorderPod (`holdApplicationUntilProxyStarts`)
- Linkerd: `config.linkerd.io/proxy-await`
- istio/istio#11130 (applications start before the sidecar is ready)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, mesh_of

CODE = "PL106"
NAME = "app-starts-before-proxy"
SEVERITY = "info"
OPTIONS = {}
DEFAULT = False         # opt-in: many apps make no call at startup (info, often noise)


def check(ctx: Context) -> Iterator[Finding]:
    mesh = mesh_of(ctx)
    if mesh is None or mesh.native:
        return
    if mesh.kind == "istio":
        for container in ctx.pod.regular_init_containers:
            yield ctx.finding(
                container.name_location,
                f'init container "{container.name}" runs before {mesh.proxy} exists ({mesh.source}, '
                f"{mesh.mode_reason}): with istio-cni its connections are redirected to a proxy that "
                "is not there and fail; without it they leave unmeshed (peers with STRICT mTLS refuse them)",
                container=container.name, hint=mesh.native_hint)
    if mesh.hold or not ctx.pod.containers:
        return
    if mesh.kind == "istio":
        how = ("it is appended after the app containers and holdApplicationUntilProxyStarts is off",
               'hold the app: proxy.istio.io/config: \'{"holdApplicationUntilProxyStarts": true}\', '
               'or run a native sidecar (sidecar.istio.io/nativeSidecar: "true")')
    else:
        how = ("config.linkerd.io/proxy-await is disabled",
               "remove config.linkerd.io/proxy-await: disabled (the default awaits the proxy)")
    names = ", ".join(f'"{c.name}"' for c in ctx.pod.containers)
    yield ctx.finding(
        mesh.location,
        f"{mesh.source} injects {mesh.proxy} as a regular container ({how[0]}): {names} may start "
        "before it is ready, and connections made at startup fail until it is",
        hint=how[1])
