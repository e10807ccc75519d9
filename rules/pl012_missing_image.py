"""A container of a whole object without an image.

## What it does
Flags a container, init container or sidecar with no `image` (absent or empty)
in an object that is whole rather than a patch fragment: a named Pod, or a
controller with its `spec.selector` and pod template (see PL003 for how a
Kustomize patch is told apart). In a patch an image-less container is the
normal case (the patch tunes a container its base defines), and other rules
skip such containers as fragments.

An OpenShift DeploymentConfig with a selector, and an image on at least one
container, is judged too, except for containers named by an `ImageChange`
trigger: the trigger supplies their image. Jobs, CronJobs and PodTemplates
carry no mark of wholeness (the API generates a Job's selector), so their
image-less containers are treated as fragments.

## Why is this bad?
The API server rejects the object (`spec.containers[0].image: Required
value`), so the apply fails. In a whole object a missing image is a lost line,
often from a bad merge or a template value that rendered empty.

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
        - name: app  # [PL012]
          ports: [{containerPort: 80}]
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
          image: nginx:1.27
          ports: [{containerPort: 80}]
```

## References
- Kubernetes source: pkg/apis/core/validation/validation.go, validateContainerCommon
  (`image` Required for every container, in Pods and pod templates alike)
- OpenShift source: openshift/origin pkg/apps/apis/apps/validation, handleEmptyImageReferences
  (an ImageChange trigger supplies the image)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL012"
NAME = "missing-image"
SEVERITY = "error"
OPTIONS = {}


def _trigger_containers(obj) -> set[str]:
    """Containers an OpenShift ImageChange trigger fills in."""
    spec = obj.get("spec") if isinstance(obj, dict) else None
    triggers = spec.get("triggers") if isinstance(spec, dict) else None
    names: set[str] = set()
    for trigger in triggers if isinstance(triggers, list) else ():
        params = trigger.get("imageChangeParams") if isinstance(trigger, dict) else None
        listed = params.get("containerNames") if isinstance(params, dict) else None
        if isinstance(listed, list):
            names.update(n for n in listed if isinstance(n, str))
    return names


def check(ctx: Context) -> Iterator[Finding]:
    workload = ctx.workload
    if workload.kind == "DeploymentConfig":
        spec = workload.obj.get("spec")
        if workload.is_patch or not (isinstance(spec, dict) and spec.get("selector")):
            return
    elif not workload.is_whole:
        return
    filled = _trigger_containers(workload.obj) if workload.kind == "DeploymentConfig" else set()
    for container in ctx.pod.all_containers:
        raw = container.raw
        if not isinstance(raw, dict) or container.name in filled:
            continue
        image = raw.get("image")
        if image is not None and not isinstance(image, str):
            continue                        # a wrong type is PL003's
        if image:                           # " " passes validation (OpenShift's placeholder)
            continue
        yield ctx.finding(
            container.location if "image" not in raw else container.where("image", value=True),
            f'container "{container.name}" has no image; the API server rejects the object '
            "(image: Required value)",
            container=container.name,
            hint="add image: <registry>/<name>:<tag>; if this file is a Kustomize patch, drop "
                 "spec.selector (or the Pod's full spec) so it reads as one")
