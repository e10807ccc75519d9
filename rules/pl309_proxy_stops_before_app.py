"""An injected mesh proxy stops before the app has finished its preStop and drain.

## What it does
Flags the injection annotation of a long-running pod whose mesh proxy is a
regular (legacy) container when the timeline shows the proxy gone while an app
container is still in its preStop (or still shutting down, by an assumption
`CONTAINER.shutdown`). The Istio proxy gets the stop signal at t0 like every
container and exits `terminationDrainDuration` later (5 s by default; with
`EXIT_ON_ZERO_ACTIVE_CONNECTIONS` the time is unknown and nothing is claimed);
the Linkerd proxy stops taking new connections at its stop signal, which
`config.alpha.linkerd.io/proxy-wait-before-exit-seconds` delays. It also flags
that wait when it is not shorter than the grace period: then the grace is too
short for both, and the proxy is SIGKILLed with the app. The mesh, mode
and durations come from podlint.mesh (see `podlint explain`, where the proxy
appears as an implied container).

## Why is this bad?
All traffic of a meshed pod goes through its proxy. While the app's preStop
sleeps so that endpoints and load balancers can catch up, requests still
arrive, and during its own shutdown the app still calls databases and other
services: once the proxy is gone, all of that fails with connection errors,
on every rollout. A native sidecar proxy is stopped by the kubelet only after
the app has exited.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata:
      labels: {app: orders}
      annotations:
        sidecar.istio.io/inject: "true"  # [PL309]
        sidecar.istio.io/nativeSidecar: "false"
    spec:
      containers:
        - name: orders
          image: example/orders:3.2
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop: {sleep: {seconds: 15}}
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec:
  selector: {matchLabels: {app: orders}}
  template:
    metadata:
      labels: {app: orders}
      annotations:
        sidecar.istio.io/inject: "true"
        sidecar.istio.io/nativeSidecar: "true"
    spec:
      containers:
        - name: orders
          image: example/orders:3.2
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop: {sleep: {seconds: 15}}
```

## References
- Istio injection template (`terminationDrainDuration`, native sidecar preStop drain), ProxyConfig `EXIT_ON_ZERO_ACTIVE_CONNECTIONS`
- Linkerd: `config.alpha.linkerd.io/proxy-wait-before-exit-seconds`, "Graceful Pod Shutdown"
- istio/istio#7136 (outbound calls fail while the app shuts down)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, key_position, mesh_of, seconds

CODE = "PL309"
NAME = "proxy-stops-before-app"
SEVERITY = "warning"
OPTIONS = {}


WAIT_KEY = "config.alpha.linkerd.io/proxy-wait-before-exit-seconds"


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not pod.long_running:
        return
    mesh = mesh_of(ctx)
    if mesh is None:
        return
    grace = ctx.timeline.kill_grace
    if mesh.kind == "linkerd" and mesh.wait_before_exit and mesh.wait_before_exit >= grace:
        annotations = (pod.metadata or {}).get("annotations")
        where = key_position(annotations, WAIT_KEY, ctx.path, mesh.location)
        yield ctx.finding(
            where,
            f"{WAIT_KEY} is {mesh.wait_before_exit} s but the grace period is {grace} s: the proxy's "
            "preStop wait is cut short and it is SIGKILLed at the end of the grace, with the app",
            hint=f"raise terminationGracePeriodSeconds above {mesh.wait_before_exit} s (Linkerd: "
                 "the grace period must be longer than the wait), or shorten the wait")
        return
    if mesh.native:
        return
    timeline = ctx.timeline
    proxy = timeline.timing(mesh.proxy)
    if proxy is None:
        return
    gone = proxy.exited if mesh.kind == "istio" else proxy.stop_signal
    if gone is None or gone.latest is None:
        return
    how = ("exits after terminationDrainDuration" if mesh.kind == "istio"
           else "stops taking new connections at its stop signal")
    for container in pod.containers:
        timing = timeline.timing(container.name)
        if timing is None:
            continue
        busy = timing.pre_stop_completed.earliest if timing.pre_stop_completed else 0
        if timing.exited is not None and timeline.assumptions.get(container.name, "shutdown") is not None:
            busy = max(busy, timing.exited.earliest)
        if busy <= gone.latest:
            continue
        yield ctx.finding(
            mesh.location,
            f"{mesh.proxy}, injected as a regular container ({mesh.mode_reason}), {how}: gone by "
            f'{seconds(gone.latest)} s after t0, while container "{container.name}" is still shutting '
            f"down until at least {seconds(busy)} s: its inbound and outbound traffic fails meanwhile",
            container=container.name, hint=mesh.native_hint)
        return
