"""A postStart hook that blocks delays every container after it.

## What it does
Flags `postStart` hooks of known duration: the native `sleep` action and exec
`sleep N` forms (`["sleep", "10"]`, `["/bin/sleep", "10"]`, `["sh", "-c",
"sleep 10 && ..."]`, counted at least N s). The duration comes from the
predicted timeline; a hook of unknown duration (a script, an HTTP call) gives no
finding.

## Why is this bad?
The kubelet starts a pod's containers one after another, and each start includes
running the container's postStart hook to completion: the next container is not
even created before the hook returns. A sidecar's postStart likewise holds back
the next init container. Until the hook returns the kubelet does not see the
container as running either, so none of its probes run and the pod cannot become
Ready; a deletion that arrives meanwhile waits for the hook too. A sleep in
postStart is usually a workaround for an ordering problem that a startupProbe on
the earlier container (or a sidecar with a startupProbe) solves without delaying
everything. When the sleep waits for the app before the hook's own work
(redis-ha's `sleep 30; redis-cli ... sentinel reset`), dropping it would break
the hook: the hint then says to run sleep and work in the background
(`(sleep 30; ...) &`), so the hook returns at once.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
      lifecycle:
        postStart:  # [PL104]
          exec: {command: ["sh", "-c", "sleep 20"]}
    - name: app
      image: example/app:1.0
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  initContainers:
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
      restartPolicy: Always
      startupProbe: {httpGet: {path: /ready, port: 15021}, periodSeconds: 1, failureThreshold: 30}
  containers:
    - name: app
      image: example/app:1.0
```

## References
- Kubernetes docs: Container Lifecycle Hooks ("the Container's status is not set to RUNNING until the PostStart handler completes")
- Kubernetes source: pkg/kubelet/kuberuntime/kuberuntime_container.go, startContainer (the hook runs synchronously inside the start), and kuberuntime_manager.go, SyncPod (containers started one after another)
"""
import re
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL104"
NAME = "slow-post-start"
SEVERITY = "warning"
OPTIONS = {}


def _names(containers) -> str:
    names = [f'"{c.name}"' for c in containers]
    if len(names) > 3:
        names = names[:3] + [f"{len(containers) - 3} more"]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    if not any(c.post_start for c in pod.sidecars + pod.containers):
        return
    timeline = ctx.timeline
    init = pod.init_containers
    for container in pod.sidecars + pod.containers:
        if container.post_start is None:
            continue
        timing = timeline.timing(container.name)
        if timing is None or timing.post_start is None or pod.container(container.name) is not container:
            continue
        seconds = timing.post_start.earliest
        if not seconds or seconds <= 0:
            continue
        shown = f"{seconds:g}"
        if container.is_sidecar:
            position = next(i for i, c in enumerate(init) if c is container)
            later = list(init[position + 1:]) + list(pod.containers)
        else:
            later = list(pod.containers[container.index + 1:])
        probes = f', and no probe of "{container.name}" runs before it returns' if container.probes else ""
        if later:
            effect = (f'{"container" if len(later) == 1 else "containers"} {_names(later)} '
                      f"start{'s' if len(later) == 1 else ''} at least {shown} s later{probes}")
        else:
            effect = f"the pod cannot become Ready before it returns{probes}"
        if _works_after_sleeping(container.post_start.handler):
            # redis-ha's `sleep 30; redis-cli ... sentinel reset`: the sleep waits for
            # the app, so dropping it breaks the hook (review seed 20261206, S032-S034).
            hint = ("the sleep waits for the app before the hook's work: run both in the "
                    "background (`(sleep 30; ...) &`) so the hook returns at once, or move the "
                    "work into the container's own startup")
        else:
            hint = ("drop the sleep; to order containers, make the earlier one a sidecar "
                    "(restartPolicy: Always) with a startupProbe")
        yield ctx.finding(
            container.post_start.location,
            f'postStart hook of container "{container.name}" blocks for {shown} s: {effect}',
            container=container.name, hint=hint)


_SLEEP_THEN_WORK = re.compile(r"\bsleep\s+\S+\s*(;|&&|\n)\s*[^\s;&]")


def _works_after_sleeping(handler) -> bool:
    """A shell hook that sleeps and then runs a command of its own."""
    command = handler.command if handler.action == "exec" and handler.command else ()
    return bool(_SLEEP_THEN_WORK.search(" ".join(command)))
