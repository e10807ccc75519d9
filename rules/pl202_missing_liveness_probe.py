"""A long-running container has no liveness probe.

## What it does
Flags main containers and sidecars of long-running workloads (Deployment,
StatefulSet, DaemonSet, ReplicaSet, ReplicationController, and Pods with
`restartPolicy: Always`) that have no `livenessProbe`. Init containers, Jobs,
CronJobs and pods with `restartPolicy: Never` or `OnFailure` are never flagged. Neither is a container
without an `image`: a strategic-merge patch fragment whose base sets the probes.

Placeholder containers are not flagged either: a process that does nothing but
wait cannot hang. That is a pause image (`registry.k8s.io/pause`, the container
that keeps an installer DaemonSet's pod alive after its init containers did the
work), `sleep N` or `sleep infinity`, `tail -f /dev/null`, a shell script made
only of those (`exec tail -f /dev/null`, `while true; do sleep 3600; done`,
`trap : TERM; sleep infinity & wait`) or of those and commands that only print
(`while true; do date; sleep 1; done`), or a bare shell waiting on stdin (a
`kubectl run -it` toolbox; busybox or alpine with `stdin: true` and no command
run their default `sh`); so is Docker's empty `scratch` image, which linters'
test fixtures use as a stand-in and which runs nothing. Placeholders are the
client and debug pods you `kubectl exec` into, and fixtures; demanding a probe
of them is noise (design.md 7). A script that does any work between its sleeps
(`while true; do date >> /mnt/out; sleep 1; done`) is still flagged.

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
The kubelet restarts a container when its process exits. A process that hangs
(a deadlock, an exhausted thread pool, a stuck event loop) keeps running, stays
Ready or NotReady forever, and is never restarted. A liveness probe is the only
way the kubelet notices. It is information, not a defect: a liveness probe that
is too strict does more harm than none (see PL205 and PL209).

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app  # [PL202]
      image: nginx:1.27
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
      livenessProbe: {httpGet: {path: /, port: 80}}
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes ("Many applications running for long periods of time eventually transition to broken states, and cannot recover except by being restarted")
- Kubernetes docs: Pod Lifecycle, When should you use a liveness probe?
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, is_placeholder

CODE = "PL202"
NAME = "missing-liveness-probe"
SEVERITY = "info"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not pod.long_running:
        return
    for container in pod.sidecars + pod.containers:
        if container.liveness_probe is not None or container.is_patch_fragment:
            continue            # a patch fragment's base object sets the probes
        if not container.image:
            continue            # no image, nothing runs: PL012 reports it in a whole object
        if is_placeholder(container):
            continue            # sleep, tail -f /dev/null, pause: nothing to hang
        role = "sidecar" if container.is_sidecar else "container"
        yield ctx.finding(
            container.location,
            f'{role} "{container.name}" of long-running {pod.kind} has no livenessProbe: '
            "if it hangs without exiting, it is never restarted",
            container=container.name,
            hint="add a lenient livenessProbe (httpGet, tcpSocket, exec or grpc) that fails only "
                 "when the process is stuck")
