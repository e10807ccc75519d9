"""Two containers of one pod share a name.

## What it does
Flags a container whose name is already used by an earlier container of the pod,
across `initContainers` (sidecars included) and `containers`.

## Why is this bad?
The API server rejects the pod (`Duplicate value`): names identify containers in
status, logs, `kubectl exec -c` and restarts.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: app
      image: busybox:1.36
      command: [sh, -c, "echo init"]
  containers:
    - name: app  # [PL503]
      image: nginx:1.27
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: init
      image: busybox:1.36
      command: [sh, -c, "echo init"]
  containers:
    - name: app
      image: nginx:1.27
```

## References
- Kubernetes: pkg/apis/core/validation/validation.go, validateContainers (names unique across init and regular containers)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL503"
NAME = "duplicate-container-name"
SEVERITY = "error"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    first = {}
    for container in ctx.pod.all_containers:
        if not isinstance(container.raw.get("name"), str):
            continue
        earlier = first.get(container.name)
        if earlier is None:
            first[container.name] = container
            continue
        where = earlier.name_location
        yield ctx.finding(
            container.name_location,
            f'container name "{container.name}" is already used by the {earlier.role} container '
            f"at line {where.line}; the API server rejects the pod",
            container=container.name, hint="give every container of the pod its own name")
