"""A Job or CronJob pod has a regular container that never exits by itself.

## What it does
Flags a main container of a Job or CronJob pod whose process never ends on its
own: a proxy or agent image run with its own entrypoint (the Istio proxy,
Envoy, the Linkerd proxy, the Cloud SQL proxy), `sleep infinity`, `tail -f
/dev/null`, or a shell whose whole script is an endless loop. It also flags the
pod's injection annotation when a service mesh injects its proxy as a regular
container (Istio below 1.27 or on nodes below 1.33, `sidecar.istio.io/nativeSidecar:
"false"`, Linkerd without `config.linkerd.io/proxy-enable-native-sidecar`, or
`--assume mesh-mode=legacy`).

## Why is this bad?
A Job's pod succeeds only when every regular container has exited. The batch
container finishes, the proxy keeps running, and the Job stays Running forever
(kubernetes#73118 and its many duplicates; kubernetes#25908): CronJobs pile up,
`activeDeadlineSeconds` ends it as Failed, and `ttlSecondsAfterFinished` never
starts. A native sidecar (an `initContainers` entry with `restartPolicy:
Always`, on by default since Kubernetes 1.29) is stopped by the kubelet once the
regular containers have finished, so the Job completes.

## Example
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: flyway/flyway:10
          args: [migrate]
        - name: cloud-sql-proxy  # [PL107]
          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
          args: ["--port=5432", "project:region:db"]
```

Use instead:
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
        - name: cloud-sql-proxy
          image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
          restartPolicy: Always
          args: ["--port=5432", "project:region:db"]
      containers:
        - name: migrate
          image: flyway/flyway:10
          args: [migrate]
```

## References
- kubernetes/kubernetes#73118 (Jobs with a sidecar never complete), #25908
- Kubernetes docs: Sidecar Containers, "Jobs with sidecar containers"
- Istio: `sidecar.istio.io/nativeSidecar`, native sidecars on by default from 1.27 (istio/istio#56428, nodes 1.33+)
- Linkerd: `config.linkerd.io/proxy-enable-native-sidecar`
"""
from collections.abc import Iterator

from podlint.api import RUN_TO_COMPLETION_KINDS, Context, Finding, mesh_of, never_exits

CODE = "PL107"
NAME = "job-never-completes"
SEVERITY = "warning"
OPTIONS = {}

SIDECARS_ON = (1, 29)


def _hint(ctx: Context) -> str:
    if ctx.kubernetes_version >= SIDECARS_ON:
        return ("run it as a native sidecar: move it to initContainers with restartPolicy: Always "
                "(the kubelet stops it when the Job's containers are done)")
    return ("native sidecars need Kubernetes 1.29+; until then the job must stop it itself "
            "(e.g. the proxy's /quitquitquit endpoint) when it is done")


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if pod.kind not in RUN_TO_COMPLETION_KINDS:
        return
    for container in pod.containers:
        why = never_exits(container)
        if why is None:
            continue
        yield ctx.finding(
            container.name_location,
            f'container "{container.name}" never exits by itself ({why}): the {pod.kind}\'s pod '
            f"never reaches Succeeded and the job never completes",
            container=container.name, hint=_hint(ctx))
    mesh = mesh_of(ctx)
    if mesh is not None and not mesh.native:
        yield ctx.finding(
            mesh.location,
            f"{mesh.source} injects {mesh.proxy} as a regular container ({mesh.mode_reason}): "
            f"it never exits by itself, so the {pod.kind}'s pod never reaches Succeeded",
            hint=mesh.native_hint)
