"""A probe whose timeoutSeconds is longer than its periodSeconds.

## What it does
Flags probes whose `timeoutSeconds` is greater than their `periodSeconds` (both
after Kubernetes defaults: timeout 1 s, period 10 s). A timeout equal to the
period is not flagged: a check that hangs then ends just as the next one is
due, so failures still come one period apart and the failure window is the one
configured (the precision review found all 29 such corpus findings to be
noise: tcpSocket probes with `timeoutSeconds: 5, periodSeconds: 5`).

Control-plane static Pods (kubeadm's etcd, kube-apiserver, kube-controller-manager
and kube-scheduler in `kube-system` on the host network; see PL505) are not
flagged either. kubeadm generates their probes with `timeoutSeconds: 15` and the
default `periodSeconds: 10` on purpose: a loaded API server or etcd answers its
health endpoint slowly, and the longer failure window this rule describes is the
one upstream chose. The manifest is kubeadm's output, not a swap to fix by hand.

## Why is this bad?
The kubelet runs one probe at a time per container and probe kind: a check that
hangs until its timeout holds back the next one, and the ticks missed meanwhile
are dropped. Failures then come one timeout apart instead of one period apart, so
the failure window is `failureThreshold x timeoutSeconds`, longer than the
configuration suggests, and a hung app is taken out of rotation or restarted
later than planned. It usually means the two fields were swapped.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 5
        timeoutSeconds: 10  # [PL204]
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 10
        timeoutSeconds: 5
```

## Fix
`podlint fix` lowers `timeoutSeconds` to one second below `periodSeconds`, the
longest timeout that does not hold back the next check.

Before:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 5
        timeoutSeconds: 10   # slow backend
      livenessProbe: {httpGet: {path: /healthz, port: 8080}, timeoutSeconds: 30}
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
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 5
        timeoutSeconds: 4   # slow backend
      livenessProbe: {httpGet: {path: /healthz, port: 8080}, timeoutSeconds: 9}
```

## References
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, Configure Probes (periodSeconds, timeoutSeconds)
- Kubernetes source: pkg/kubelet/prober/worker.go, run (one probe at a time on a ticker)
- Kubernetes source: cmd/kubeadm/app/util/staticpod/utils.go, LivenessProbe (timeout 15 s, period 10 s)
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, Fix, SetValue, control_plane_static_pod

CODE = "PL204"
NAME = "probe-timeout-exceeds-period"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx: Context) -> Iterator[Finding]:
    if control_plane_static_pod(ctx.pod):
        return          # kubeadm's deliberate timeoutSeconds 15 / periodSeconds 10
    for container in ctx.pod.sidecars + ctx.pod.containers:     # init: PL103
        for probe in container.probes:
            if probe.timeout <= probe.period:
                continue
            where = "timeoutSeconds" if probe.has("timeoutSeconds") else "periodSeconds"
            effect = (f"a check that hangs holds back the next one, so {probe.failure_threshold} "
                      f"failures take {probe.failure_threshold * probe.timeout} s, not "
                      f"{probe.failure_window} s")
            yield ctx.finding(
                probe.where(where, value=True),
                f'{probe.field_name} of container "{container.name}" has timeoutSeconds '
                f"{probe.timeout} and periodSeconds {probe.period}: {effect}",
                container=container.name,
                hint="make timeoutSeconds shorter than periodSeconds (the fields may be swapped)")


def fix(ctx: Context) -> Iterator[Fix]:
    """timeoutSeconds becomes periodSeconds - 1: the longest timeout below the
    period, so no check that passes today starts to time out sooner than needed."""
    flagged = {f.location: f for f in check(ctx)}
    for container in ctx.pod.sidecars + ctx.pod.containers:
        for probe in container.probes:
            finding = flagged.get(probe.where("timeoutSeconds", value=True))
            if finding is None or not probe.has("timeoutSeconds") or probe.period < 2:
                continue
            yield Fix(finding, (SetValue(probe.raw, "timeoutSeconds", probe.period - 1),),
                      f"timeoutSeconds: {probe.period - 1} (periodSeconds {probe.period})")
