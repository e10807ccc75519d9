"""A controller's selector that its own pod template labels do not satisfy.

## What it does
Evaluates `spec.selector` against the pod template's labels, as the API server
does, for Deployments, ReplicaSets, StatefulSets, DaemonSets and Jobs with
`manualSelector: true` (`matchLabels` and `matchExpressions` with `In`, `NotIn`,
`Exists`, `DoesNotExist`), and for ReplicationControllers and OpenShift
DeploymentConfigs (a plain label map). The finding points at the template's
`labels:` (or its `metadata:`, or `template:` when it has neither) and names
the requirements that fail.

It also flags selectors the API server refuses outright:
- an empty selector (`selector: {}`) on a Deployment, ReplicaSet, StatefulSet
  or DaemonSet;
- a Job `spec.selector` without `manualSelector: true` (the API generates the
  selector and rejects one "not auto-generated"), unless it selects only the
  labels the API adds itself (`job-name`, `controller-uid` and their
  `batch.kubernetes.io/` forms);
- a `selector` or `manualSelector: true` in a CronJob's `jobTemplate` ("will be
  auto-generated").

A missing selector is not this rule's: apps/v1 requires it (PL003), older
versions and ReplicationControllers default it from the template labels. A
selector whose syntax is wrong (an unknown operator) is not judged. A Kustomize
base whose template labels come only from a `labels:` transformer with
`includeTemplates: true` is judged as written; lint the built output
(`kustomize build | podlint lint -`) or suppress PL008 on that base.

## Why is this bad?
The API server rejects the object ("`selector` does not match template
`labels`"): a controller must own the pods it creates, or it would create them
forever. The mistake is common after renaming a label in one place only, or
when a Kustomize `commonLabels` change touches the template but the selector
is written elsewhere.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web, tier: frontend}
  template:
    metadata:
      labels: {app: web}  # [PL008]
    spec:
      containers:
        - name: app
          image: nginx:1.27
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector:
    matchLabels: {app: web, tier: frontend}
  template:
    metadata:
      labels: {app: web, tier: frontend}
    spec:
      containers:
        - name: app
          image: nginx:1.27
```

## References
- Kubernetes source: pkg/apis/apps/validation/validation.go, ValidatePodTemplateSpecForReplicaSet
  (Deployment, ReplicaSet), ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSetSpec,
  ValidateDeploymentSpec ("empty selector is invalid for deployment")
- Kubernetes source: pkg/apis/batch/validation/validation.go, ValidateJobSpec (selector must match
  template labels), ValidateGeneratedSelector ("`selector` not auto-generated"),
  ValidateJobTemplateSpec ("`selector` will be auto-generated")
- Kubernetes source: pkg/apis/core/validation, ValidatePodTemplateSpecForRC
- OpenShift source: openshift/origin pkg/apps/apis/apps/validation, ValidateDeploymentConfigSpec
- Kubernetes docs: Labels and Selectors, "Set-based requirement"
"""
from collections.abc import Iterator
from typing import Any

from podlint.api import (LABEL_SELECTOR_KINDS, MAP_SELECTOR_KINDS, Context, Finding,
                         key_position, label_value, requirement_fails, selector_requirements)

CODE = "PL008"
NAME = "selector-mismatch"
SEVERITY = "error"
OPTIONS = {}

JOB_GENERATED_KEYS = frozenset({"job-name", "controller-uid", "batch.kubernetes.io/job-name",
                                "batch.kubernetes.io/controller-uid"})


def _describe(requirement) -> str:
    key, operator, values = requirement
    if operator == "In" and len(values) == 1:
        return f"{key}={values[0]}"
    if operator in ("In", "NotIn"):
        return f"{key} {operator.lower()} ({', '.join(values)})"
    return key if operator == "Exists" else f"!{key}"


def _template_labels(template: Any) -> dict[str, str] | None:
    metadata = template.get("metadata") if isinstance(template, dict) else None
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    if labels is None:
        return {}
    if not isinstance(labels, dict):
        return None
    out = {}
    for key, value in labels.items():
        text = label_value(value)
        if not isinstance(key, str) or text is None:
            return None
        out[key] = text
    return out


def _labels_location(ctx: Context):
    template, workload = ctx.workload.template, ctx.workload
    metadata = template.get("metadata")
    if isinstance(metadata, dict) and "labels" in metadata:
        return key_position(metadata, "labels", ctx.path, workload.location)
    if "metadata" in template:
        return key_position(template, "metadata", ctx.path, workload.location)
    spec = workload.obj.get("spec")         # no metadata at all: the template: key
    return key_position(spec, "template", ctx.path, ctx.pod.location)


def check(ctx: Context) -> Iterator[Finding]:
    workload = ctx.workload
    kind = workload.kind
    spec = workload.obj.get("spec")
    if not isinstance(spec, dict):
        return
    if kind == "CronJob":
        yield from _cronjob(ctx)
        return
    if kind not in LABEL_SELECTOR_KINDS | MAP_SELECTOR_KINDS or "selector" not in spec:
        return
    selector = spec.get("selector")
    where = key_position(spec, "selector", ctx.path, workload.location)
    plain_map = kind in MAP_SELECTOR_KINDS
    requirements = selector_requirements(selector, plain_map)
    if requirements is None:
        return                                  # wrong shape: PL003's
    if kind == "Job" and spec.get("manualSelector") is not True:
        if requirements and not all(r[0] in JOB_GENERATED_KEYS for r in requirements):
            yield ctx.finding(
                where, "Job sets spec.selector without manualSelector: true; the API server "
                "generates the selector itself and rejects this one (\"`selector` not "
                "auto-generated\"): the Job is never created",
                hint="remove spec.selector (the API selects the Job's pods by a generated "
                     "controller-uid), or set manualSelector: true if you must choose it")
        return
    if not requirements:
        if not plain_map and isinstance(selector, dict):
            stray = [k for k in selector if k not in ("matchLabels", "matchExpressions")]
            detail = (f" (its key {stray[0]} is not a matchLabels entry: labels go under "
                      "matchLabels)") if stray else ""
            yield ctx.finding(
                where, f"{kind} has an empty spec.selector{detail}, which the API server rejects "
                "(\"empty selector is invalid\"): the object is never created",
                hint="select the template's labels with spec.selector.matchLabels")
        return                                  # an empty map is defaulted from the labels
    labels = _template_labels(workload.template)
    if labels is None:
        return
    failing = [r for r in requirements if requirement_fails(r, labels)]
    if not failing:
        return
    shown = ", ".join(_describe(r) for r in failing[:3]) + (", ..." if len(failing) > 3 else "")
    yield ctx.finding(
        _labels_location(ctx),
        f"{kind} spec.selector (line {where.line}) does not match its pod template labels "
        f"(not satisfied: {shown}); the API server rejects the object",
        hint="make the template labels satisfy the selector (usually: add the selector's "
             "matchLabels to spec.template.metadata.labels)")


def _cronjob(ctx: Context) -> Iterator[Finding]:
    spec = ctx.workload.obj["spec"]
    job_template = spec.get("jobTemplate")
    job_spec = job_template.get("spec") if isinstance(job_template, dict) else None
    if not isinstance(job_spec, dict):
        return
    for key, bad in (("selector", job_spec.get("selector") is not None),
                     ("manualSelector", job_spec.get("manualSelector") is True)):
        if bad:
            yield ctx.finding(
                key_position(job_spec, key, ctx.path, ctx.workload.location),
                f"CronJob jobTemplate sets spec.{key}, which the API server rejects (\"`selector` "
                "will be auto-generated\"): the CronJob is never created",
                hint=f"remove jobTemplate.spec.{key}; each Job gets a generated selector")
