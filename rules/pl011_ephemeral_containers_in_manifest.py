"""ephemeralContainers written into a Pod or pod template.

## What it does
Flags `ephemeralContainers` in a Pod manifest or in any workload's pod template.
When the pod has no regular `containers` besides (a pod of ephemeral containers
only), the message says so.

## Why is this bad?
Ephemeral containers are added to a running pod through its
`ephemeralcontainers` subresource (`kubectl debug`), never written in a
manifest. The API server rejects a Pod that sets them on create
(`spec.ephemeralContainers: Forbidden: cannot be set on create`) and a pod
template that sets them (`ephemeral containers not allowed in pod template`),
so the object is never created. A pod with only ephemeral containers also has
no `containers`, which every pod requires.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  ephemeralContainers:  # [PL011]
    - name: shell
      image: busybox:1.36
      command: ["sleep", "3600"]
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers:
    - name: shell
      image: busybox:1.36
      command: ["sleep", "3600"]
```

## References
- Kubernetes source: pkg/apis/core/validation/validation.go, ValidatePodCreate ("cannot be set on
  create"), ValidatePodTemplateSpec ("ephemeral containers not allowed in pod template"),
  validateContainers (containers Required)
- Kubernetes docs: Ephemeral Containers ("ephemeral containers are created using a special
  ephemeralcontainers handler in the API rather than by adding them directly to pod.spec")
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL011"
NAME = "ephemeral-containers-in-manifest"
SEVERITY = "error"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    spec = pod.raw
    if not isinstance(spec, dict) or not spec.get("ephemeralContainers"):
        return
    where = "a Pod on create" if ctx.workload.kind == "Pod" else "a pod template"
    only = "" if pod.containers else (
        "; and with no regular containers the pod has nothing to run (containers is required)")
    yield ctx.finding(
        pod.where("ephemeralContainers"),
        f"ephemeralContainers cannot be set in {where}: the API server rejects the object{only}",
        hint="move these containers to containers (or initContainers); add ephemeral containers "
             "to a running pod with kubectl debug")
