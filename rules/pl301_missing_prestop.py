"""A container that a Service sends traffic to has no preStop hook.

## What it does
Flags main containers and sidecars of a Deployment, StatefulSet, DaemonSet,
ReplicaSet, ReplicationController or DeploymentConfig without a
`lifecycle.preStop` while a Service in their application scope sends them
traffic. The message names that Service and where it is.

Application scope and which container a Service port reaches are as for
PL201: same namespace; same folder, stream or kustomization; a file that
bundles workloads with their own Services is a closed stream. A named
`targetPort` reaches the container declaring it; a number, the container
declaring it, else the one whose probe checks it, else every main container
that does more than sleep.

Decision: a declared `containerPort` alone is not enough. The harm is the race
between endpoint removal and the stop signal, and a pod that no Service
selects has no endpoints to remove: a node-exporter's metrics port, a
DaemonSet's hostPort, an admin port. Those findings were noise (issue 10's
review), so they are gone, and so is traffic through a metrics port (a Service
or container port named `metrics`, `http-metrics`, ...): Prometheus retries a
failed scrape; the cost is that a Deployment linted without its
Service (a pre-commit run given one changed file) is not judged. Bare Pods,
Jobs and CronJobs are not flagged: they are not rolled or scaled down behind a
Service. Containers without an `image` are strategic-merge patch fragments
(Kustomize `patches:`) whose base object is linted on its own.

Decision: a workload whose only pod stops alone is not flagged either. With
one replica (`replicas: 1`, or unset, which defaults to 1), a StatefulSet's
controller deletes the old pod and waits until it is gone before it creates
the new one, and so does a Deployment (or DeploymentConfig) with the
`Recreate` strategy. No other pod can take the traffic while this one stops,
so a preStop sleep changes nothing for clients: there is no endpoint to fall
back to (the downtime itself is PL601's and PL602's concern). Such a finding
was noise in issue 10's review (a single-replica Jupyter StatefulSet). A
HorizontalPodAutoscaler in scope that targets the workload brings it back: it
scales the workload beyond one pod, and a scale-down stops one of several.
Rolling Deployments of one replica are still flagged (the new pod surges in
before the old one stops), and so are DaemonSets, ReplicaSets and workloads of
several replicas.

The hint suggests a sleep that fits the pod's `terminationGracePeriodSeconds`
and leaves the app 5 s after it (PL303's default headroom): 5 s from a grace
of 10 s up, 3 or 4 s in a grace of 8 or 9 s. Below that (5 s in GKE's
online-shop sample) it says to raise the grace as well: the grace counts from
the start of the hook, so a 5 s sleep in a 5 s grace is cut off by SIGKILL
(PL302) and the app never gets to shut down.

## Why is this bad?
When a pod is deleted (rollout, scale-down, node drain), the kubelet sends the
stop signal at once while the EndpointSlice update travels to every node's
kube-proxy, the ingress controllers and the cloud load balancers. For a second
or more they keep sending new connections to a process that is shutting down:
clients see connection resets and 502s during every rollout. A short preStop
sleep keeps the container serving until the endpoint removal has propagated;
the grace period counts from the start of the hook, so keep it well below
`terminationGracePeriodSeconds` (PL302, PL303).

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
        - name: app  # [PL301]
          image: nginx:1.27
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
```

A container without ports serves when the Service's port reaches it:

```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: app  # [PL301]
          image: example/worker:2.1
---
apiVersion: v1
kind: Service
metadata: {name: worker}
spec:
  selector: {app: worker}
  ports: [{port: 80, targetPort: 8080}]
```

Use instead (the metrics port of a DaemonSet that no Service selects is not flagged either):
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
          ports: [{containerPort: 80}]
          lifecycle:
            preStop: {sleep: {seconds: 5}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      containers:
        - name: exporter
          image: prom/node-exporter:v1.8.2
          ports: [{name: metrics, containerPort: 9100, hostPort: 9100}]
```

## References
- Kubernetes docs: Pod Lifecycle, "Termination of Pods" (endpoints are removed while the pod shuts down)
- Kubernetes docs: Container Lifecycle Hooks (preStop, the sleep action)
- KEP-3960: Introducing Sleep Action for PreStop Hook (the motivation: graceful endpoint removal)
"""
from collections.abc import Iterator
from dataclasses import replace

from podlint.api import RELATED, Context, Finding

CODE = "PL301"
NAME = "missing-prestop"
SEVERITY = "warning"
OPTIONS = {}

KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
                   "DeploymentConfig"})
NATIVE_SLEEP = (1, 30)      # the sleep action is beta and on by default from 1.30
SLEEP = 5                   # long enough for the endpoint removal to reach the load balancers
MIN_SLEEP = 3               # shorter than this, the sleep rarely covers the propagation
HEADROOM = 5                # what the app keeps after the sleep (PL303's default headroom)


def stops_alone(ctx: Context) -> bool:
    """No other pod of the workload can serve while this one stops: one replica
    (set, or unset and defaulted to 1) of a StatefulSet, or of a Deployment or
    DeploymentConfig with the Recreate strategy. The controller deletes the old
    pod before it creates the new one."""
    workload = ctx.workload
    spec = workload.obj.get("spec") if isinstance(workload.obj, dict) else None
    replicas = spec.get("replicas", 1) if isinstance(spec, dict) else None
    if replicas is None:
        replicas = 1
    if isinstance(replicas, bool) or replicas != 1:
        return False
    if workload.kind == "StatefulSet":
        return True
    strategy = workload.strategy
    return workload.kind in ("Deployment", "DeploymentConfig") and strategy is not None \
        and strategy.type == "Recreate"


def sleep_hint(ctx: Context) -> str:
    """A preStop sleep that fits the pod's grace and leaves the app HEADROOM
    seconds after it (so PL302 and PL303 stay quiet), or, when even MIN_SLEEP
    does not fit, the sleep plus the grace it needs."""
    grace = ctx.pod.termination_grace
    sleep = min(SLEEP, grace - HEADROOM)
    if sleep < MIN_SLEEP:
        sleep = SLEEP
    if ctx.kubernetes_version >= NATIVE_SLEEP:
        fix = f"add lifecycle.preStop: {{sleep: {{seconds: {sleep}}}}}"
    else:
        fix = f'add lifecycle.preStop: {{exec: {{command: ["sleep", "{sleep}"]}}}}'
    if grace - sleep >= HEADROOM:
        return (f"{fix} so endpoints are removed before shutdown; it leaves the app "
                f"{grace - sleep} s of the {grace} s terminationGracePeriodSeconds")
    return (f"{fix} so endpoints are removed before shutdown, and raise "
            f"terminationGracePeriodSeconds from {grace} to at least {sleep + HEADROOM}: the grace "
            f"counts from the start of the hook, and the app needs a few seconds after it")


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.pod.kind not in KINDS:
        return
    alone = stops_alone(ctx)
    for container in ctx.pod.sidecars + ctx.pod.containers:
        if container.pre_stop is not None or container.is_patch_fragment:
            continue            # has one, or is a patch fragment (no image) of a linted base
        routed = ctx.routed(container)
        if alone and routed is not None:
            # Only an autoscaler in scope brings other pods that serve while this one stops.
            routed = replace(routed, also=ctx.related("autoscaled"))
        role = "sidecar" if container.is_sidecar else "container"
        yield ctx.finding(
            container.location,
            f'{role} "{container.name}" receives traffic from {RELATED} but has no preStop hook: '
            "on a rollout or scale-down it gets the stop signal while load balancers still "
            "route to it",
            container=container.name, when=routed, hint=sleep_hint(ctx))
