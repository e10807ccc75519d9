"""A crash leaves no message in `kubectl describe`: no termination message is set up.

## What it does
Flags containers with neither `terminationMessagePolicy: FallbackToLogsOnError`
nor a `terminationMessagePath` other than the default `/dev/termination-log`
(a custom path says the app writes its own message). Init containers count
too: a failing init container keeps the whole pod in `Init:CrashLoopBackOff`,
which is exactly when the message is read. Sidecars and main containers count,
in every workload kind. A container without an `image` is a fragment of a
strategic-merge patch (Kustomize `patches:`), whose base object is linted on its
own, and is skipped.

Placeholder containers are skipped too: a process that does nothing but wait (a
pause image, `sleep N` or `sleep infinity`, `tail -f /dev/null`, a shell script
made only of those, a bare shell waiting on stdin (also busybox or alpine run
with `stdin: true` and no command: their default `sh`), the empty `scratch` image)
has no failure to explain, and neither has a script that only prints (the
docs' hello-world CronJob, `date; echo Hello from the Kubernetes cluster`; an
`echo` into a file is a write that can fail and is still flagged); the client and debug pods built around them are noise
to flag (design.md 7). The init containers beside such a placeholder, which do
the real work, are still flagged. Control-plane static Pods (kubeadm's etcd,
kube-apiserver, ... in `kube-system`; see PL505) are kubeadm's generated output,
not a manifest anyone edits, and are skipped as well.

Objects dumped from a cluster are not flagged either, by this rule or any
other that gives advice (an `info` finding): a manifest carrying what only the
API server writes (`metadata.uid`, `resourceVersion`, `selfLink`,
`managedFields`, or a non-empty `status`) was read back with `kubectl get -o
yaml` or kept as a controller's test data, and nobody edits it (issue 10's
review: gitops-engine's `nginx.yaml`). The engine drops advice on such an
object; errors and warnings stay. `status: {}` and `creationTimestamp: null`,
which `kubectl create --dry-run=client -o yaml` writes into scaffolds people
go on to edit, do not count.

## Why is this bad?
With the default policy `File`, the kubelet reports the contents of
`/dev/termination-log` as the container's last termination message, and almost
no application writes that file. A container that crashes shows only `Error`
and an exit code in `kubectl describe pod` and in the pod status that alerting
and dashboards read; the reason is in logs that may already be rotated away or
belong to a restarted container. `FallbackToLogsOnError` uses the last log
lines (at most 80 lines or 2048 bytes) when the file is empty and the container
failed, and costs nothing when it succeeds.

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
        - name: migrate  # [PL401]
          image: example/migrate:3.2
      containers:
        - name: app
          image: example/web:3.2
          terminationMessagePolicy: File  # [PL401]
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
        - name: migrate
          image: example/migrate:3.2
          terminationMessagePolicy: FallbackToLogsOnError
      containers:
        - name: app
          image: example/web:3.2
          terminationMessagePath: /var/run/app/termination-log
```

## Fix
`podlint fix` sets `terminationMessagePolicy: FallbackToLogsOnError`: it
replaces a written `File`, or adds the key after the container's last key, in
the container's own style (block or flow).

Before:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app   # the web server
      image: example/web:3.2
      ports: [{containerPort: 8080}]
    - {name: log, image: "example/log:1.0"}
```

After:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app   # the web server
      image: example/web:3.2
      ports: [{containerPort: 8080}]
      terminationMessagePolicy: FallbackToLogsOnError
    - {name: log, image: "example/log:1.0", terminationMessagePolicy: FallbackToLogsOnError}
```

## References
- Kubernetes docs: Determine the Reason for Pod Failure ("Customizing the termination message")
- Kubernetes API reference: Container.terminationMessagePath, Container.terminationMessagePolicy
- Kubernetes: pkg/kubelet/kuberuntime/kuberuntime_container.go getTerminationMessage
"""
from collections.abc import Iterator

from podlint.api import (DEFAULT_TERMINATION_MESSAGE_PATH, Context, Finding, Fix, SetValue,
                         control_plane_static_pod, is_placeholder)

CODE = "PL401"
NAME = "termination-message-unset"
SEVERITY = "info"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    if control_plane_static_pod(ctx.pod):
        return          # kubeadm's generated manifests
    for container in ctx.pod.all_containers:
        if container.is_patch_fragment or not container.image:
            continue            # a patch fragment (the base sets the rest), or no image (PL012)
        if is_placeholder(container):
            continue            # sleep, tail -f /dev/null, pause: no failure to explain
        if container.termination_message_policy == "FallbackToLogsOnError":
            continue
        if container.termination_message_path != DEFAULT_TERMINATION_MESSAGE_PATH:
            continue
        where = (container.where("terminationMessagePolicy", value=True)
                 if container.has("terminationMessagePolicy") else container.location)
        role = {"init": "init container", "sidecar": "sidecar"}.get(container.role, "container")
        yield ctx.finding(
            where,
            f'{role} "{container.name}" has no termination message: if it crashes, '
            f"kubectl describe shows only the exit code (policy {container.termination_message_policy}, "
            f"path {DEFAULT_TERMINATION_MESSAGE_PATH})",
            container=container.name,
            hint="set terminationMessagePolicy: FallbackToLogsOnError (the log tail becomes the "
                 "message when the container fails)")


def fix(ctx: Context) -> Iterator[Fix]:
    """Set the policy: replace a written `File`, or add the key after the
    container's last one. Certain: the fallback changes only what a failed
    container reports."""
    for finding in check(ctx):
        container = next((c for c in ctx.pod.all_containers if finding.location in (
            c.location, c.where("terminationMessagePolicy", value=True))), None)
        if container is None or not isinstance(container.raw, dict):
            continue
        yield Fix(finding, (SetValue(container.raw, "terminationMessagePolicy", "FallbackToLogsOnError"),),
                  "terminationMessagePolicy: FallbackToLogsOnError")
