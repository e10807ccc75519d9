"""A pod template restartPolicy that the workload's kind rejects.

## What it does
Flags the pod template's `restartPolicy` where the controller does not accept
it: a Job or CronJob whose pods would restart `Always` (set so, or left out:
a pod's `restartPolicy` defaults to `Always`, and the API server validates the
Job after defaulting), and a Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController or OpenShift DeploymentConfig whose template says
`OnFailure` or `Never`; and, for a Pod or PodTemplate, a value that is none of
`Always`, `OnFailure`, `Never` (a lowercase `always`). The finding points at
the value, or at the template's `spec:` when the field is missing.

A Kustomize patch of a Job (no container names an image, see PL003) is not
judged when it leaves `restartPolicy` out: its base sets it.

## Why is this bad?
The API server rejects the whole object (`Unsupported value: "Always":
supported values: "OnFailure", "Never"`), so nothing is created and the apply
fails, often late in a pipeline. The rule behind it is the controller's
contract: a Job counts pods that finish, which a pod restarting `Always` never
does; a Deployment or DaemonSet keeps pods running, which `Never` or
`OnFailure` would let stop for good.

## Example
```yaml
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:  # [PL007]
      containers:
        - name: migrate
          image: example/migrate:1.0
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: OnFailure  # [PL007]
      containers:
        - name: app
          image: nginx:1.27
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
      containers:
        - name: migrate
          image: example/migrate:1.0
---
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
```

## Fix
`podlint fix` sets the policy only where one value is right: `Always` in a
Deployment, StatefulSet, DaemonSet, ReplicaSet or ReplicationController, and a
policy written in the wrong case spelled right. A Job or CronJob without a
policy, or with `Always`, is left for you: `OnFailure` and `Never` are both
valid and behave differently. As with every fix, it is not made when the
result would bring a finding the object did not have (a Deployment's pods
become long-running, so PL202 may then ask for a liveness probe).

Before:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: OnFailure   # copied from the Job
      containers:
        - name: app
          image: nginx:1.27
          livenessProbe: {httpGet: {path: /, port: 80}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: never
      containers:
        - name: migrate
          image: example/migrate:1.0
```

After:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Always   # copied from the Job
      containers:
        - name: app
          image: nginx:1.27
          livenessProbe: {httpGet: {path: /, port: 80}}
          readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: example/migrate:1.0
```

## References
- Kubernetes source: pkg/apis/batch/validation/validation.go, validateJobSpec (template
  restartPolicy must be OnFailure or Never; CronJobs through ValidateJobTemplateSpec)
- Kubernetes source: pkg/apis/apps/validation/validation.go,
  ValidatePodTemplateSpecForReplicaSet (Deployment, ReplicaSet), ValidateStatefulSetSpec,
  ValidateDaemonSetSpec (restartPolicy must be Always)
- Kubernetes source: pkg/apis/core/validation, ValidatePodTemplateSpecForRC (ReplicationController)
- OpenShift source: openshift/origin pkg/apps/apis/apps/validation, ValidateDeploymentConfigSpec
  (calls ValidatePodTemplateSpecForRC)
- Kubernetes source: pkg/apis/core/validation/validation.go, validateRestartPolicy (the three values)
- Kubernetes source: pkg/apis/core/v1/defaults.go, SetDefaults_PodSpec (restartPolicy defaults to Always)
"""
from collections.abc import Iterator

from podlint.api import (ALWAYS_RESTART_KINDS, RUN_TO_COMPLETION_KINDS, Context, Finding, Fix,
                         SetValue, key_position)

CODE = "PL007"
NAME = "restart-policy-not-allowed"
SEVERITY = "error"
OPTIONS = {}

JOB_POLICIES = ("OnFailure", "Never")


def check(ctx: Context) -> Iterator[Finding]:
    pod, workload = ctx.pod, ctx.workload
    spec = pod.raw
    if not isinstance(spec, dict):
        return
    value = spec.get("restartPolicy")
    if value is not None and not isinstance(value, str):
        return                      # a wrong type is PL003's
    kind = workload.kind
    if kind in RUN_TO_COMPLETION_KINDS:
        if value in JOB_POLICIES:
            return
        if value is None:
            if workload.is_patch:
                return
            yield ctx.finding(
                key_position(workload.template, "spec", ctx.path, pod.location),
                f"{kind} pod template has no restartPolicy: it defaults to Always, which a "
                f"{kind} rejects (supported: OnFailure, Never); the object is never created",
                hint="add restartPolicy: Never (or OnFailure to retry in the same pod)")
            return
        yield ctx.finding(
            pod.where("restartPolicy", value=True),
            f"{kind} pod template sets restartPolicy {value}, which a {kind} rejects "
            "(supported: OnFailure, Never); the object is never created",
            hint="use restartPolicy: Never (or OnFailure to retry in the same pod)")
    elif kind not in ALWAYS_RESTART_KINDS:
        if value is None or value in ("Always", "OnFailure", "Never"):
            return
        yield ctx.finding(
            pod.where("restartPolicy", value=True),
            f"{kind} sets restartPolicy {value}, which is not a restart policy "
            "(Always, OnFailure or Never); the API server rejects the object",
            hint="spell it Always, OnFailure or Never")
    else:
        if value is None or value == "Always":
            return
        yield ctx.finding(
            pod.where("restartPolicy", value=True),
            f"{kind} pod template sets restartPolicy {value}, which a {kind} rejects "
            "(supported: Always); the object is never created",
            hint="remove restartPolicy (it defaults to Always); for pods that should finish, "
                 "use a Job")


POLICIES = ("Always", "OnFailure", "Never")


def fix(ctx: Context) -> Iterator[Fix]:
    """Only where one value is right: Always in a Deployment, StatefulSet,
    DaemonSet, ReplicaSet or ReplicationController (the only one they accept),
    and a policy written in the wrong case (`never`) spelled right where that
    spelling is allowed. A Job without a policy, or with Always, is left alone:
    OnFailure and Never are both valid and mean different things."""
    spec = ctx.pod.raw
    if not isinstance(spec, dict) or not isinstance(spec.get("restartPolicy"), str):
        return
    value = spec["restartPolicy"]
    kind = ctx.workload.kind
    if kind in ALWAYS_RESTART_KINDS:
        wanted = "Always"
    else:
        allowed = JOB_POLICIES if kind in RUN_TO_COMPLETION_KINDS else POLICIES
        wanted = next((p for p in allowed if p.lower() == value.strip().lower()), None)
    for finding in check(ctx):
        if wanted is None or wanted == value or finding.location != ctx.pod.where("restartPolicy", value=True):
            continue
        yield Fix(finding, (SetValue(spec, "restartPolicy", wanted),), f"restartPolicy: {wanted}")
