"""A pod-carrying object whose shape podlint cannot read.

## What it does
Flags a Pod, workload or PodTemplate where a field that holds structure has the
wrong type: `containers: foo` instead of a list, a container that is a string,
`spec: []`, and a `kind: List` whose `items` is not a list. A missing required
field (a Deployment without `spec.template`) is PL003's to report, not this rule's.

## Why is this bad?
The API server rejects the object, and podlint cannot model the pod, so none of
the lifecycle rules can check it.

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
      containers: nginx  # [PL002]
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
        - name: web
          image: nginx:1.27
```

## References
- Kubernetes API reference: PodSpec (containers is a list of Container)
"""
CODE = "PL002"
NAME = "invalid-object"
SEVERITY = "error"
OPTIONS = {}
SCOPE = "input"       # made by the model (podlint/model.py), not by a check
