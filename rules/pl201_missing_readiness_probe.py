"""A container that a Service sends traffic to has no readiness probe.

## What it does
Flags main containers and sidecars of long-running workloads (Deployment,
StatefulSet, DaemonSet, ReplicaSet, ReplicationController, and Pods with
`restartPolicy: Always`) that have no `readinessProbe` while a Service in
their application scope sends them traffic. The message names that Service
and where it is.

Application scope (design.md section 7): the Service and the pod are in the
same namespace, and in the same folder, stream (stdin) or folders tied by a
`kustomization.yaml`; a file that bundles workloads with their own Services
is a closed stream, so test and example folders full of one-file apps do not
cross-match. A folder of more than 25 manifests is a collection (kube-linter's
tests/checks, a flattened samples repository), not one application: there a
Service relates to pods of another file only through a kustomization that names
both (the precision review found such folder-wide matches false).

Which container a Service port reaches: a named `targetPort`, the container
declaring that name; a number, the container declaring it, else the one whose
probe checks it, else every main container that does more than sleep
(istio's `curl` and `sleep` clients have a Service, nothing listens). The pod joins the endpoints only
when every container is ready, so nothing is reported when some container's
readiness probe checks the port the Service uses (a probe in one container on
a port another serves), nor, in that last guessed case, when any container has
a readiness probe. A Service with `publishNotReadyAddresses: true` does not count:
its endpoints do not wait for readiness.

Not flagged: containers that only declare ports with no Service in scope (a
metrics port scraped directly, a node-exporter): readiness decides endpoint
membership, and without endpoints the advice is noise. Traffic through a
metrics port (a Service or container port named `metrics`, `http-metrics`,
...) does not count either: Prometheus retries a failed scrape. Neither are init
containers, run-to-completion pods, or containers without an `image`
(strategic-merge patch fragments whose base sets the probes).

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
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
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
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes ("Sometimes, applications are temporarily unable to serve traffic ... you don't want to kill the application, but you don't want to send it requests either")
- Kubernetes docs: Pod Lifecycle, Container probes ("If a container does not provide a readiness probe, the default state is Success")
- Kubernetes source: pkg/api/v1/pod/util.go `FindPort` (how a Service's targetPort reaches a container)
"""
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding

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
        role = "sidecar" if container.is_sidecar else "container"
        yield ctx.finding(
            container.location,
            f'{role} "{container.name}" receives traffic from {RELATED} but has no readinessProbe: '
            "the pod joins its endpoints as soon as the container is running, before the app "
            "listens",
            container=container.name, when=ctx.routed(container, readiness=True),
            hint="add a readinessProbe (httpGet, tcpSocket or grpc) on the port it serves")
