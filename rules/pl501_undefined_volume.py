"""A volumeMount or volumeDevice names a volume the pod does not define.

## What it does
Flags every `volumeMounts[].name` and `volumeDevices[].name`, in init containers,
sidecars and main containers, that matches no entry of `spec.volumes` (nor, in a
StatefulSet, of `spec.volumeClaimTemplates`).

## Why is this bad?
The API server rejects the pod (`spec.containers[0].volumeMounts[0].name: Not
found`). In a Deployment the rollout never creates a pod, and the error shows
only in the ReplicaSet's events, not in `kubectl apply`'s output.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - name: confg  # [PL501]
          mountPath: /etc/nginx/conf.d
  volumes:
    - name: config
      configMap: {name: nginx-config}
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      volumeMounts:
        - name: config
          mountPath: /etc/nginx/conf.d
  volumes:
    - name: config
      configMap: {name: nginx-config}
```

## References
- Kubernetes: pkg/apis/core/validation/validation.go, validateVolumeMounts (NotFound)
- Kubernetes docs: Volumes
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL501"
NAME = "undefined-volume"
SEVERITY = "error"
OPTIONS = {}


def claim_template_names(ctx: Context) -> set[str]:
    """StatefulSet volumeClaimTemplates become pod volumes of the same name."""
    if ctx.workload is None or ctx.workload.kind != "StatefulSet":
        return set()
    spec = ctx.workload.obj.get("spec")
    templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
    names = set()
    for template in templates if isinstance(templates, list) else ():
        metadata = template.get("metadata") if isinstance(template, dict) else None
        if isinstance(metadata, dict) and isinstance(metadata.get("name"), str):
            names.add(metadata["name"])
    return names


def check(ctx: Context) -> Iterator[Finding]:
    defined = {v.name for v in ctx.pod.volumes} | claim_template_names(ctx)
    names = sorted(name for name in defined if isinstance(name, str))    # a volume may lack a name
    for container in ctx.pod.all_containers:
        for mount in container.volume_mounts:
            if mount.name is None or mount.name in defined:
                continue
            kind = "volumeDevice" if mount.device else "volumeMount"
            yield ctx.finding(
                mount.where("name", value=True),
                f'{kind} "{mount.name}" of container "{container.name}" names no volume '
                f"of the pod; the API server rejects it",
                container=container.name,
                hint=f'add a volume named "{mount.name}" to spec.volumes, or fix the name'
                + (f" (defined: {', '.join(names)})" if names else ""))
