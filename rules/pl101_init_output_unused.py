"""An init container writes to a pod-scoped volume that no later container reads.

## What it does
Flags a regular init container that mounts a pod-scoped writable volume
(`emptyDir` or a generic `ephemeral` volume) read-write when no container that
runs after it (a later init container, a sidecar or a main container) mounts the
same volume. When an earlier init container mounts it too, this one may be the
reader of that container's output, so there is no finding either.

Volumes whose data outlives the pod (hostPath, persistentVolumeClaim, network and
node volumes: an installer writing to the node is doing its job) and read-only
volume types (configMap, secret, downwardAPI, projected) are ignored, as are
mounts at the usual scratch locations (`/tmp`, `/var/tmp`, `/run`, `/var/run`,
`/dev/shm`), where an init container keeps its own temporary files.

An init container that copies an executable into the volume (`cp` or `install`
from a `bin/` or `sbin/` directory to a path under the mount) is staging a tool
for containers that are added to the pod later, and is not flagged. argo-cd's
`copyutil` is the case in point: it copies the `argocd` binary into the
`var-files` volume of `argocd-repo-server`, which no container of the shipped
manifests mounts, because the Config Management Plugin sidecars that users add
(by Kustomize patch or Helm values) mount it and run
`/var/run/argocd/argocd-cmp-server` from it. The volume is an extension point,
not lost output. Little is lost by the exception: a container that forgets to
mount a staged binary fails loudly the moment it runs it ("no such file"),
unlike an app that silently starts without the config an init container
rendered for it, which is what this rule exists to catch.

## Why is this bad?
An init container exists to prepare something for the containers after it. A
pod-scoped volume is the only way its files reach them; if none of them mounts
the volume, the prepared files (a rendered config, downloaded plugins, a copied
binary) are invisible to the app, which then starts with its image defaults. It
is almost always a mount forgotten in the main container or a volume name typo.

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
        - name: render-config
          image: busybox:1.36
          command: ["sh", "-c", "echo 'listen 8080;' > /work/site.conf"]
          volumeMounts:
            - {name: config, mountPath: /work}  # [PL101]
      containers:
        - name: app
          image: nginx:1.27
      volumes:
        - name: config
          emptyDir: {}
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
        - name: render-config
          image: busybox:1.36
          command: ["sh", "-c", "echo 'listen 8080;' > /work/site.conf"]
          volumeMounts:
            - {name: config, mountPath: /work}
      containers:
        - name: app
          image: nginx:1.27
          volumeMounts:
            - {name: config, mountPath: /etc/nginx/conf.d, readOnly: true}
      volumes:
        - name: config
          emptyDir: {}
```

## References
- Kubernetes docs: Init Containers ("Init containers ... can securely run utilities or custom code that would otherwise make an app container image less secure"; the examples share an emptyDir)
- Kubernetes docs: Volumes, emptyDir ("all containers in the Pod can read and write the same files in the emptyDir volume")
- Kubernetes docs: Ephemeral Volumes, generic ephemeral volumes
"""
import re
from collections.abc import Iterator

from podlint.api import POD_SCOPED_VOLUME_TYPES, Context, Finding

CODE = "PL101"
NAME = "init-output-unused"
SEVERITY = "warning"
OPTIONS = {}

# Where an init container keeps its own temporary files (readOnlyRootFilesystem
# images need a writable /tmp): not output meant for anyone else.
SCRATCH_PATHS = frozenset({"/tmp", "/var/tmp", "/run", "/var/run", "/dev/shm"})


def _is_scratch(mount_path: str | None) -> bool:
    if not mount_path:
        return False
    return mount_path.rstrip("/") in SCRATCH_PATHS


# `cp [-flags] /usr/local/bin/argocd /var/run/argocd/argocd`, `install -m 755 /bin/x /dst/`
_COPY_BINARY = re.compile(r"(?:^|[\s;&|(])(?:\S*/)?(?:cp|install)((?:\s+-\S+)*(?:\s+\d+)?)"
                          r"\s+(\S*/s?bin/\S+)\s+(\S+)")


def _stages_executable(container, mount_path: str | None) -> bool:
    """The container copies a binary from a bin/ directory into `mount_path`: a tool
    staged for containers that mount the volume later (argo-cd's copyutil)."""
    if not mount_path:
        return False
    raw = container.raw if isinstance(container.raw, dict) else {}
    text = " ".join(str(w) for key in ("command", "args") if isinstance(raw.get(key), list)
                    for w in raw[key])
    root = mount_path.rstrip("/") or "/"
    for match in _COPY_BINARY.finditer(text[:10_000]):
        target = match.group(3).strip("'\"")
        if target == root or target.startswith(root.rstrip("/") + "/"):
            return True
    return False


def _feeds_another_volume(container, pod, name: str) -> bool:
    """The same init container also writes a volume that a later container
    mounts: it hands its result over there, so an unshared volume beside it is
    its working space (the old Jenkins chart downloads plugins into `plugins`
    and copies the result into `plugin-dir`, which jenkins mounts)."""
    others = [c for c in pod.all_containers if c is not container]
    for mount in container.volume_mounts:
        if mount.name == name or mount.read_only:
            continue
        if any(m.name == mount.name for c in others for m in c.volume_mounts):
            return True
    return False


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not pod.containers:
        return          # no main container at all: PL003 reports the missing list, not this
    scoped = {v.name: v for v in pod.volumes if v.name is not None and v.type in POD_SCOPED_VOLUME_TYPES}
    if not scoped:
        return
    # Answered from the model, so networkx is never imported for this rule. It is
    # deliberately more lenient than graph.unread_init_outputs: an earlier init
    # container that mounts the volume (this one may be its reader) and scratch
    # paths give no finding.
    writers = [(c, m) for c in pod.regular_init_containers for m in c.volume_mounts
               if not m.read_only and not m.device and m.name in scoped and not _is_scratch(m.mount_path)]
    if not writers:
        return
    reported: set[tuple[int, str]] = set()
    for container, mount in writers:
        key = (id(container), mount.name)
        if key in reported:
            continue
        # Any other container that mounts the volume is either a reader that runs
        # later (a later init container, any sidecar, any main container) or an
        # earlier init container whose output this one may be reading: no finding.
        if any(m.name == mount.name for c in pod.all_containers if c is not container
               for m in c.volume_mounts):
            continue
        if _stages_executable(container, mount.mount_path):
            continue        # a tool for containers added later (argo-cd's copyutil)
        if _feeds_another_volume(container, pod, mount.name):
            continue        # its output goes elsewhere; this volume is its working space
        reported.add(key)
        volume = scoped[mount.name]
        yield ctx.finding(
            mount.location,
            f'init container "{container.name}" writes to {volume.type} volume "{mount.name}" '
            f'at {mount.mount_path or "?"}, but no container that runs after it mounts that volume: '
            "nothing can read what it leaves there",
            container=container.name,
            hint=f'mount volume "{mount.name}" in the container that needs the output; if it is '
                 "only this container's scratch space, mount it at /tmp")
