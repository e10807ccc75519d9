"""A preStop that execs `sleep N` where the native sleep action would do.

## What it does
Flags a `lifecycle.preStop` exec hook whose whole command is a sleep, `["sleep",
"5"]`, `["/bin/sleep", "5"]` or `["sh", "-c", "sleep 5"]` (`5s` and `1m` forms
too), when the target Kubernetes version (`--kubernetes-version`) supports the
native `sleep` action. A command that does more than sleep (`sleep 5 && nginx
-s quit`) is not flagged: the sleep action cannot replace it.

Threshold: **1.30**, where the `PodLifecycleSleepAction` feature became beta and
on by default (alpha 1.29, GA 1.34). A `sleep 0` is flagged only from 1.33,
where a zero-second sleep action became allowed by default (GA 1.34). A sleep
longer than `terminationGracePeriodSeconds` is not flagged here: the API
rejects such a sleep action, and PL302 reports the hook. In an image known to
have no `sleep` (distroless, scratch-based) the hook fails every time: PL308
reports that as a warning instead.

## Why is this bad?
The exec form needs a `sleep` binary (and a shell for the `sh -c` form) inside
the image. Distroless, scratch and many hardened images have neither: the hook
fails at once with `exec: "sleep": executable file not found`, the event
`FailedPreStopHook` is recorded, and the container gets the stop signal
immediately, so the sleep meant to let endpoints drain never happens. The
native action is run by the kubelet itself, costs no process in the container,
and lasts exactly N seconds.

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
        - name: app
          image: registry.example.com/web:1.4
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop:
              exec: {command: ["sleep", "5"]}  # [PL306]
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
          image: registry.example.com/web:1.4
          ports: [{containerPort: 8080}]
          lifecycle:
            preStop:
              sleep: {seconds: 5}
```

A hook that does more than sleep is not flagged:

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
          lifecycle:
            preStop:
              exec: {command: ["/bin/sh", "-c", "sleep 5 && nginx -s quit"]}
```

## Fix
`podlint fix` replaces the exec hook by the native action, in the hook's own
style, for the same number of seconds.

Before:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      lifecycle:
        preStop:
          exec:
            command:   # let the endpoints go first
              - /bin/sleep
              - "5"
    - name: proxy
      image: example/proxy:2.0
      lifecycle:
        preStop: {exec: {command: ["sh", "-c", "sleep 10"]}}
```

After:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      lifecycle:
        preStop:
          sleep:
            seconds: 5
    - name: proxy
      image: example/proxy:2.0
      lifecycle:
        preStop: {sleep: {seconds: 10}}
```

## References
- KEP-3960: Introducing Sleep Action for PreStop Hook (beta 1.30, GA 1.34)
- KEP-4818: Allow zero value for Sleep Action of PreStop Hook (beta 1.33, GA 1.34)
- Kubernetes docs: Container Lifecycle Hooks, "Hook handler implementations" (Sleep)
"""
import re
from collections.abc import Iterator

from podlint.api import Context, Finding, Fix, ReplaceKey, shell_less

CODE = "PL306"
NAME = "prestop-sleep-needs-binary"
SEVERITY = "info"
OPTIONS = {}

NATIVE_SLEEP = (1, 30)          # PodLifecycleSleepAction beta, on by default
NATIVE_SLEEP_ZERO = (1, 33)     # PodLifecycleSleepActionAllowZero beta, on by default
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_DURATION = re.compile(r"^(\d{1,9})(s|m|h)?$")
_UNITS = {None: 1, "s": 1, "m": 60, "h": 3600}


def _base(word: str) -> str:
    return word.rsplit("/", 1)[-1]


def _duration(word: str) -> int | None:
    match = _DURATION.match(word)
    if not match:
        return None
    return int(match.group(1)) * _UNITS[match.group(2)]


def pure_sleep(command: tuple[str, ...] | None) -> int | None:
    """Seconds of a command that does nothing but sleep a whole number of seconds, else None."""
    if not command:
        return None
    words = list(command)
    if len(words) == 3 and _base(words[0]) in SHELLS and words[1] == "-c":
        words = words[2].strip().rstrip(";").split()
    elif len(words) == 4 and _base(words[0]) == "busybox" and words[1] == "sh" and words[2] == "-c":
        words = words[3].strip().rstrip(";").split()
    if words and _base(words[0]) == "busybox":
        words = words[1:]
    if words and words[0] == "exec":
        words = words[1:]
    if len(words) != 2 or _base(words[0]) != "sleep":
        return None
    return _duration(words[1].strip())


def check(ctx: Context) -> Iterator[Finding]:
    if ctx.kubernetes_version < NATIVE_SLEEP:
        return
    target = f"{ctx.kubernetes_version[0]}.{ctx.kubernetes_version[1]}"
    grace = ctx.pod.termination_grace
    for container in ctx.pod.all_containers:
        hook = container.pre_stop
        if hook is None or hook.handler.action != "exec":
            continue
        if shell_less(container.image) and container.role != "init":
            continue            # PL308 reports the certain failure as a warning
        seconds = pure_sleep(hook.handler.command)
        if seconds is None or seconds > grace:
            continue
        if seconds == 0 and ctx.kubernetes_version < NATIVE_SLEEP_ZERO:
            continue
        yield ctx.finding(
            hook.handler.location,
            f'preStop of container "{container.name}" execs `sleep {seconds}`, which needs a sleep '
            f"binary in the image; Kubernetes {target} has the native sleep action",
            container=container.name,
            hint=f"replace the exec with preStop: {{sleep: {{seconds: {seconds}}}}}")


def fix(ctx: Context) -> Iterator[Fix]:
    """`exec: {command: [sleep, N]}` becomes `sleep: {seconds: N}` in place:
    the same pause, run by the kubelet (check() only flags it where the target
    version has the action and N fits in the grace)."""
    flagged = {f.location: f for f in check(ctx)}
    for container in ctx.pod.all_containers:
        hook = container.pre_stop
        if hook is None or hook.handler.location not in flagged or not isinstance(hook.raw, dict):
            continue
        seconds = pure_sleep(hook.handler.command)
        if seconds is None or set(hook.raw) != {"exec"}:
            continue
        yield Fix(flagged[hook.handler.location],
                  (ReplaceKey(hook.raw, "exec", "sleep", {"seconds": seconds}),),
                  f"preStop sleep: {{seconds: {seconds}}}")
