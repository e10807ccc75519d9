"""A sidecar without a startupProbe does not hold back the containers after it.

## What it does
Flags restartable init containers (sidecars: `initContainers` entries with
`restartPolicy: Always`) that have no `startupProbe`.

## Why is this bad?
The kubelet starts the next init container, or the main containers, as soon as a
sidecar is *running* and, only if it has one, its startup probe has succeeded. A
readiness probe does not gate anything here. Without a startup probe the app
starts next to a proxy that is not listening yet, a secrets agent that has not
written its files, or a log shipper that drops the first lines: the app's first
connections fail, and it may crash or cache the failure.

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
      initContainers:
        - name: proxy  # [PL102]
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
          ports: [{name: proxy, containerPort: 15001}]
          readinessProbe: {httpGet: {path: /ready, port: 15021}}
      containers:
        - name: app
          image: example/app:1.0
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
      initContainers:
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          restartPolicy: Always
          ports: [{name: proxy, containerPort: 15001}]
          startupProbe: {httpGet: {path: /ready, port: 15021}, periodSeconds: 1, failureThreshold: 30}
          readinessProbe: {httpGet: {path: /ready, port: 15021}}
      containers:
        - name: app
          image: example/app:1.0
```

## References
- Kubernetes docs: Sidecar Containers ("the kubelet ... waits for the startup probe of the sidecar to succeed before starting the next init container")
- Kubernetes API: Container.restartPolicy field documentation
- Kubernetes source: pkg/kubelet/kuberuntime/kuberuntime_container.go, computeInitContainerActions
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL102"
NAME = "sidecar-without-startup-probe"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    init = pod.init_containers
    for position, container in enumerate(init):
        if not container.is_sidecar or container.startup_probe is not None:
            continue
        following = init[position + 1:] + pod.containers
        if not following:
            continue
        if position + 1 < len(init):
            nxt = f'init container "{init[position + 1].name}"'
        else:
            nxt = f'container "{pod.containers[0].name}"'
        yield ctx.finding(
            container.location,
            f'sidecar "{container.name}" has no startupProbe: {nxt} starts as soon as the sidecar '
            "is running, before it is ready to serve",
            container=container.name,
            hint="add a startupProbe that succeeds once the sidecar is ready; a readinessProbe "
                 "does not hold back the containers after it")
