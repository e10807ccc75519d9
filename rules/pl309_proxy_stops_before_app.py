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

A native proxy (a sidecar the kubelet stops after the app) is flagged when the
app's known shutdown (a preStop of known length, an assumed shutdown time)
leaves less of the grace than Istio's `terminationDrainDuration`: the grace is
too short for both, and the proxy is SIGKILLed mid-drain.

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


def _grace_too_short_for_both(ctx: Context, mesh, grace: int) -> Iterator[Finding]:
    """A native Istio proxy gets its stop signal once the app containers have
    exited, and SIGKILL when the grace runs out (at least 2 s later,
    lifecycle-semantics 3.3): when the app's known shutdown (a preStop of known
    length, an assumed shutdown time) leaves less than terminationDrainDuration
    of the grace, the proxy's drain is cut short and the connections it was
    finishing are reset."""
    if mesh.kind != "istio" or mesh.exit_on_zero:
        return
    drain = mesh.drain if mesh.drain is not None else 5
    timeline = ctx.timeline
    busy, who = 0.0, None
    for container in ctx.pod.containers:
        timing = timeline.timing(container.name)
        if timing is None:
            continue
        end = timing.pre_stop_completed.earliest if timing.pre_stop_completed else 0
        if timing.exited is not None and timeline.assumptions.get(container.name, "shutdown") is not None:
            end = max(end, timing.exited.earliest)
        if end > busy:
            busy, who = end, container.name
    left = max(grace - busy, 2)
    if who is None or left >= drain:
        return
    yield ctx.finding(
        mesh.location,
        f'container "{who}" takes at least {seconds(busy)} s of the {grace} s grace to shut down, so '
        f"the native {mesh.proxy} gets its stop signal with {seconds(left)} s left of its "
        f"{seconds(drain)} s terminationDrainDuration: the grace is too short for both, and the "
        "proxy is SIGKILLed while it still drains connections",
        container=who,
        hint=f"raise terminationGracePeriodSeconds to at least {seconds(busy + drain)} s")


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
        yield from _grace_too_short_for_both(ctx, mesh, grace)
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
