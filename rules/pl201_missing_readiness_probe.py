"""A serving container in a long-running workload has no readiness probe.

## What it does
Flags containers that serve traffic in long-running workloads (Deployment,
StatefulSet, DaemonSet, ReplicaSet, ReplicationController, and Pods with
`restartPolicy: Always`) and have no `readinessProbe`.

A container serves when it declares a `containerPort`, or when a Service among
the linted documents selects its pod and no container of that pod declares a
port. Sidecars count only when they declare ports. Init containers, Jobs,
CronJobs and pods with `restartPolicy: Never` or `OnFailure` are never flagged. Neither is
a container without an `image`: a strategic-merge patch fragment whose base
sets the probes.

## Why is this bad?
Without a readiness probe a container is Ready as soon as it is running (or as
soon as its startup probe succeeds). The pod joins the Service's endpoints
before the app listens, so every rollout and restart sends requests to a process
that refuses them, and a container that stops answering stays in rotation until
it exits.

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
        - name: app  # [PL201]
          image: example/app:1.0
          ports: [{name: http, containerPort: 8080}]
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
          image: example/app:1.0
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /ready, port: http}}
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes ("Sometimes, applications are temporarily unable to serve traffic ... you don't want to kill the application, but you don't want to send it requests either")
- Kubernetes docs: Pod Lifecycle, Container probes ("If a container does not provide a readiness probe, the default state is Success")
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL201"
NAME = "missing-readiness-probe"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not pod.long_running:
        return
    for container in pod.sidecars + pod.containers:
        if container.readiness_probe is not None or container.is_patch_fragment:
            continue            # a patch fragment's base object sets the probes
        serving = ctx.serving(container)
        if not serving:
            continue
        shown = [str(p.number) if p.number is not None else p.name for p in container.ports]
        shown = [x for x in shown if x]
        if not container.ports:
            why = "is selected by a Service"
        elif not shown:
            why = "declares ports"
        else:
            why = (f"declares port{'s' if len(shown) > 1 else ''} {', '.join(shown[:3])}"
                   + (" ..." if len(shown) > 3 else ""))
        role = "sidecar" if container.is_sidecar else "container"
        yield ctx.finding(
            container.location,
            f'{role} "{container.name}" {why} but has no readinessProbe: it receives traffic '
            "as soon as it is running, before the app listens",
            container=container.name, when=serving,
            hint="add a readinessProbe (httpGet, tcpSocket or grpc) on the port it serves")
