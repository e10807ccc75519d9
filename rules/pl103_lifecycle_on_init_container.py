"""Probes or lifecycle hooks on a regular init container.

## What it does
Flags `livenessProbe`, `readinessProbe`, `startupProbe` and `lifecycle` on init
containers that are not sidecars (no `restartPolicy: Always`).

## Why is this bad?
The API server rejects the whole object ("may not be set for init containers
without restartPolicy=Always"): the Deployment, Job or Pod is never created. A
regular init container runs to completion before anything else starts, so
nothing would act on a probe result anyway. If the container is meant to run for
the pod's whole life, it is a sidecar and needs `restartPolicy: Always`.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: migrate
      image: example/migrate:1.0
      readinessProbe:  # [PL103]
        exec: {command: ["cat", "/tmp/done"]}
      lifecycle:  # [PL103]
        preStop: {exec: {command: ["/bin/cleanup"]}}
  containers:
    - name: app
      image: example/app:1.0
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: migrate
      image: example/migrate:1.0
  containers:
    - name: app
      image: example/app:1.0
```

## References
- Kubernetes docs: Init Containers ("regular init containers ... do not support the lifecycle, livenessProbe, readinessProbe, or startupProbe fields")
- Kubernetes source: pkg/apis/core/validation/validation.go, validateInitContainers
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL103"
NAME = "lifecycle-on-init-container"
SEVERITY = "error"
OPTIONS = {}

FIELDS = ("livenessProbe", "readinessProbe", "startupProbe", "lifecycle")


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.regular_init_containers:
        raw = container.raw
        if not isinstance(raw, dict):
            continue
        for field in FIELDS:
            if raw.get(field) is None:      # absent or null: nothing is set
                continue
            yield ctx.finding(
                container.where(field),
                f'init container "{container.name}" sets {field}, which the API server rejects on '
                "init containers without restartPolicy: Always: the object is never created",
                container=container.name,
                hint=f"remove {field}, or add restartPolicy: Always if the container is a sidecar "
                     "that runs for the pod's whole life")
