"""A probe value the API server rejects.

## What it does
Reads the probe fields as written (before Kubernetes defaults) and flags:

- `successThreshold` other than 1 on a `livenessProbe` or `startupProbe` (0 is
  defaulted to 1 and accepted);
- a negative `initialDelaySeconds`, `periodSeconds`, `timeoutSeconds`,
  `successThreshold` or `failureThreshold` (0 means "use the default");
- a probe-level `terminationGracePeriodSeconds` on a `readinessProbe`, or one
  that is not greater than 0 on a liveness or startup probe.

Values of the wrong type are PL003's to report.

## Why is this bad?
The API server rejects the whole object, so the Deployment, StatefulSet or Pod
is never created or updated (`kubectl apply` fails, a GitOps sync stays
degraded). A liveness or startup probe acts on the first success, so a higher
success threshold means nothing there; a readiness probe never kills the
container, so it has no grace period of its own.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        successThreshold: 2  # [PL208]
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: -5  # [PL208]
        terminationGracePeriodSeconds: 10  # [PL208]
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
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        terminationGracePeriodSeconds: 10
      readinessProbe:
        httpGet: {path: /ready, port: 8080}
        periodSeconds: 5
        successThreshold: 2
```

## Fix
`podlint fix` brings each rejected value to the least one the API accepts: a
negative field to 0 (the default), a liveness or startup `successThreshold` to
1, a liveness or startup probe grace of 0 or less to 1. A
`terminationGracePeriodSeconds` on a readinessProbe is left for you to remove.

Before:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        successThreshold: 2
      readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: -5}
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
      livenessProbe:
        httpGet: {path: /healthz, port: 8080}
        successThreshold: 1
      readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 0}
```

## References
- Kubernetes source: pkg/apis/core/validation/validation.go, validateProbe, validateLivenessProbe, validateStartupProbe, validateReadinessProbe
- Kubernetes source: pkg/apis/core/v1/defaults.go, SetDefaults_Probe (0 becomes the default)
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, Configure Probes ("Must be 1 for liveness and startup Probes")
"""
from collections.abc import Iterator

from podlint.api import Context, Finding, Fix, SetValue, as_int

CODE = "PL208"
NAME = "probe-threshold-invalid"
SEVERITY = "error"
OPTIONS = {}

NON_NEGATIVE = ("initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold",
                "failureThreshold")
GRACE = "terminationGracePeriodSeconds"
HINT_REJECTED = "the API server rejects the object, so it is never created or updated"


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.sidecars + ctx.pod.containers:     # init containers: PL103
        for probe in container.probes:
            raw = probe.raw if isinstance(probe.raw, dict) else {}
            subject = f'{probe.field_name} of container "{container.name}"'

            def finding(key: str, problem: str, hint: str) -> Finding:
                return ctx.finding(probe.where(key, value=True), f"{subject} {problem}: {HINT_REJECTED}",
                                   container=container.name, hint=hint)

            for key in NON_NEGATIVE:
                value = as_int(raw.get(key))
                if value is not None and value < 0:
                    yield finding(key, f"has {key} {value}, below the minimum of 0",
                                  f"use a positive {key}, or remove it for the default")
            success = as_int(raw.get("successThreshold"))
            if probe.kind in ("liveness", "startup") and success is not None and success > 1:
                yield finding("successThreshold",
                              f"has successThreshold {success}; it must be 1 for {probe.kind} probes",
                              "remove successThreshold (a liveness or startup probe acts on the first "
                              "success)")
            if raw.get(GRACE) is None:
                continue
            if probe.kind == "readiness":
                yield finding(GRACE, f"sets {GRACE}, which is only allowed on liveness and startup "
                                     "probes",
                              f"remove {GRACE} from the readinessProbe (a readiness failure never "
                              "kills the container)")
                continue
            grace = as_int(raw.get(GRACE))
            if grace is not None and grace <= 0:
                yield finding(GRACE, f"has {GRACE} {grace}; it must be greater than 0",
                              "use at least 1, or remove it to use the pod's grace period")


def fix(ctx: Context) -> Iterator[Fix]:
    """Each rejected value becomes the least value the API accepts: a negative
    field 0 (the default), a liveness or startup successThreshold 1, a
    liveness or startup probe grace of 0 or less 1. A grace on a readinessProbe
    is left alone: removing a field is a decision, not a minimum."""
    flagged = {f.location: f for f in check(ctx)}
    for container in ctx.pod.sidecars + ctx.pod.containers:
        for probe in container.probes:
            raw = probe.raw if isinstance(probe.raw, dict) else {}
            for key in NON_NEGATIVE + (GRACE,):
                finding = flagged.get(probe.where(key, value=True)) if key in raw else None
                value = as_int(raw.get(key))
                if finding is None or value is None:
                    continue
                if key == GRACE:
                    if probe.kind == "readiness" or value > 0:
                        continue
                    least = 1
                elif key == "successThreshold" and probe.kind in ("liveness", "startup") and value > 1:
                    least = 1
                elif value < 0:
                    least = 0
                else:
                    continue
                yield Fix(finding, (SetValue(raw, key, least),), f"{key}: {least} (was {value})")
