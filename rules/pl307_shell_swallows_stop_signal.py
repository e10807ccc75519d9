"""A shell stays PID 1 and drops the stop signal, so the app is SIGKILLed.

## What it does
Flags a main container of a long-running workload, or a sidecar of any pod,
whose `command` runs a shell script (`sh -c`, `bash -c`, `ash -c`, `dash -c`,
`busybox sh -c`) that certainly keeps the shell as PID 1 without a SIGTERM
handler: the script ends in a loop, in a pipeline (`server | tee log`) or with
`wait`, or it sets a `trap` that is not for TERM (which stops the shell from
exec'ing its last command), or, for `bash` named explicitly, its last command
has a redirection. The finding points at the script.

Not flagged, because it depends on which shell `/bin/sh` is, or on its version:
`sh -c "migrate && server"` and `bash -c "source env; server"`. dash (0.5.7+),
busybox ash (1.28+) and bash (4.4+ after `&&`/`||`, 5.1+ after `;`) exec such a
last command themselves, older bash does not. Also not flagged: an `exec` of the
server, a `trap ... TERM`, an init (`tini`, `dumb-init`, ...) as the command,
`shareProcessNamespace: true` (PID 1 is then the pause process), a container
without `command` (the image's ENTRYPOINT is unknown), and placeholders whose
script only waits (`while true; do sleep 3600; done`: nothing to drain; the
house-wide `is_placeholder` decides).

Decision: a loop that only runs short commands and sleeps between them
(`while true; do date >> /mnt/out; sleep 1; done`, `while true; do curl ...;
sleep 30; done`) is not flagged either. It has nothing to drain: the only cost
of the dropped signal is that deleting the pod waits the whole grace period
(30 s by default) before the SIGKILL. Such loops are demo writers and load
generators, and a reviewer does not change them for a slower delete: the
review of issue 10 judged 11 of 12 such findings (then info) noise, and a
second review all three it drew (the nfs-busybox and Azure disk examples of
kubernetes/examples). A loop that (re)starts a program of its own (`while
true; do ./server; sleep 5; done`) is still flagged: that program never gets
the stop signal.

## Why is this bad?
The kernel drops every signal sent to PID 1 of a PID namespace unless the
process installed a handler; a shell that runs the app as a child and waits for
it installs none. The kubelet's SIGTERM is silently lost, the app never starts
its graceful shutdown, and at the end of `terminationGracePeriodSeconds` the
whole container is SIGKILLed, on every rollout, scale-down and eviction:
in-flight requests fail and every stop takes the whole grace period
(livekit/egress#1384, Graylog2/graylog-docker#87, uselagoon/lagoon-images#621).
The preStop and grace arithmetic that `podlint explain` prints then ends at
SIGKILL, which the timeline says for such a container.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: python:3.12-slim
          command: ["/bin/sh", "-c"]
          args:
            - gunicorn app:app --bind 0.0.0.0:8000 2>&1 | tee /var/log/api.log  # [PL307]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: python:3.12-slim
          command: ["/bin/sh", "-c"]
          args:
            - exec gunicorn app:app --bind 0.0.0.0:8000
```

## References
- Linux kernel, kernel/signal.c `sig_task_ignored`: SIGNAL_UNKILLABLE for a namespace's init
- dash, "[SHELL] Optimize dash -c "command" to avoid a fork" (0.5.7); busybox ash, the same change (1.28.0, commit 1e3e2ccd5)
- bash, builtins/evalstring.c (`should_suppress_fork`, `can_optimize_connection`) and CHANGES (4.4-alpha r, 5.1-alpha b)
- livekit/egress#1384, Graylog2/graylog-docker#87, uselagoon/lagoon-images#621
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, is_placeholder, item_position, pid1_shell

CODE = "PL307"
NAME = "shell-swallows-stop-signal"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    pod = ctx.pod
    containers = pod.sidecars + (pod.containers if pod.long_running else ())
    grace = max(1, pod.termination_grace)
    for container in containers:
        if container.is_patch_fragment:
            continue
        found = pid1_shell(container, pod)
        if found is None or found.periodic or is_placeholder(container):
            continue        # periodic: short commands and sleeps, only a delete waits (see above)
        seq = container.raw.get(found.key)
        where = item_position(seq, found.index, ctx.path, container.where(found.key))
        yield ctx.finding(
            where,
            f'container "{container.name}": {found.shell} stays PID 1 ({found.reason}) and has no '
            f"SIGTERM handler, so the stop signal is dropped and the app is SIGKILLed after the "
            f"{grace} s grace period",
            container=container.name,
            hint="make the server the script's last command and `exec` it, or `trap` TERM and "
                 "forward it to the child, or run the script under tini/dumb-init")
