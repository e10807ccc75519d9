"""A preStop hook on a container that finishes by itself: it will not run then.

## What it does
Flags a `lifecycle.preStop` hook on a regular container (not an init container,
not a sidecar) of a run-to-completion pod: a Job, a CronJob, or any pod with
`restartPolicy: Never` or `OnFailure`.

A sidecar's preStop is not flagged: once every regular container has finished,
the kubelet stops the sidecars through the normal kill path, preStop included.

## Why is this bad?
The kubelet runs preStop only when it stops a container: on deletion, eviction,
preemption, or a liveness/startup probe kill. A container that exits by itself,
which is how every Job pod ends, never gets its preStop. Cleanup written there
(uploading results, releasing a lock, deregistering a worker) silently never
happens on the normal path and only runs when the Job is cancelled.

## Example
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: backup}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: dump
          image: postgres:16
          command: ["pg_dump", "-f", "/backup/db.sql"]
          lifecycle:
            preStop:  # [PL305]
              exec: {command: ["/bin/sh", "-c", "upload /backup/db.sql"]}
```

Use instead:
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: backup}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: dump
          image: postgres:16
          command: ["/bin/sh", "-c", "pg_dump -f /backup/db.sql && upload /backup/db.sql"]
```

## References
- Kubernetes docs: Container Lifecycle Hooks ("PreStop ... is called immediately before a container is terminated due to an API request or management event")
- Kubernetes API reference: Lifecycle.preStop; Container.restartPolicy (sidecars are stopped after the regular containers finish)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL305"
NAME = "prestop-in-run-to-completion"
SEVERITY = "info"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if pod.long_running:
        return
    why = pod.kind if pod.kind in ("Job", "CronJob") else f"restartPolicy {pod.restart_policy}"
    for container in pod.containers:
        if container.pre_stop is None:
            continue
        yield ctx.finding(
            container.pre_stop.location,
            f'preStop of container "{container.name}" ({why}) runs only when the pod is deleted '
            f'or a probe kills it, never when "{container.name}" finishes by itself',
            container=container.name,
            hint="do the cleanup at the end of the container's own command (or a trap on EXIT); "
                 "keep preStop only for cancellation")
