"""A volume that no container mounts.

## What it does
Flags entries of `spec.volumes` that no init container, sidecar, main or
ephemeral container mounts (`volumeMounts`) or attaches (`volumeDevices`). A
volume mounted only by an init container counts as used.

Volumes that a platform injector owns by name are not flagged: in a pod
annotated `gke-gcsfuse/volumes: "true"`, GKE's Cloud Storage FUSE driver
injects a sidecar that mounts the pod's
`gke-gcsfuse-cache`, `gke-gcsfuse-buffer` and `gke-gcsfuse-tmp` volumes
(any `gke-gcsfuse-*`); the manifest declares them so that the sidecar uses
them, and removing them changes where the driver caches.

## Why is this bad?
Usually a typo on one side of the pair, or a leftover from a removed container:
the data the author meant to provide never reaches the app. An unused volume can
still block the pod: a missing ConfigMap, Secret or PVC keeps it in
`ContainerCreating`.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
  volumes:
    - name: cache  # [PL502]
      emptyDir: {}
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
        - {name: cache, mountPath: /var/cache/nginx}
  volumes:
    - name: cache
      emptyDir: {}
```

## References
- Kubernetes docs: Volumes; Ephemeral Containers
- Google Cloud docs: Configure resources for the Cloud Storage FUSE sidecar container (custom cache, buffer and temp volumes: `gke-gcsfuse-cache`, `gke-gcsfuse-buffer`, `gke-gcsfuse-tmp`)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL502"
NAME = "unused-volume"
SEVERITY = "warning"
OPTIONS = {}


# Volumes that a platform's admission webhook mounts into the sidecar it
# injects, matched by name, with the pod annotation that turns the injection on:
# GKE's Cloud Storage FUSE CSI driver reads its cache, buffer and temp folders
# from volumes the user declares as gke-gcsfuse-cache, -buffer and -tmp.
INJECTORS = (("gke-gcsfuse-", "gke-gcsfuse/volumes"),)


def check(ctx: Context) -> Iterator[Finding]:
    mounted = {m.name for c in ctx.pod.all_containers for m in c.volume_mounts}
    mounted |= ctx.pod.ephemeral_mounts
    for volume in ctx.pod.volumes:
        if volume.name is None or volume.name in mounted:
            continue
        if any(volume.name.startswith(prefix) and ctx.pod.annotations.get(switch) == "true"
               for prefix, switch in INJECTORS):
            continue            # the injected sidecar mounts it
        yield ctx.finding(
            volume.where("name", value=True),
            f'volume "{volume.name}" ({volume.type or "emptyDir, the default when no source is given"}) is not mounted by any container',
            hint="mount it where it is needed, or remove it")
