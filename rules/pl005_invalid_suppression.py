"""A suppression or assumption that cannot work: a blanket ignore, an unknown rule, a container the pod lacks.

## What it does
Checks every `# podlint: ignore=...` comment and every `podlint/ignore`
annotation: each must name rule codes (`PL301`), prefixes with a digit (`PL3`)
or names (`missing-prestop`) that podlint knows. There is no blanket ignore: a
comment without codes, `ALL` (in any case) or a bare letter prefix (`PL`) is
reported and silences nothing, as is a suppression of PL000 or PL001, which
are never hidden.

It also checks the pod annotation `podlint/assume` (timing assumptions): an
entry that is not `NAME=DURATION`, has a duration podlint cannot read, or names
a container the pod does not have changes nothing, and is reported.

## Why is this bad?
A misspelt code silences nothing, and the author believes the finding is
handled. Blanket ignores hide every future finding on the line, schema errors
included (flake8's maintainers call bare `noqa` their biggest regret). A
misspelt container in `podlint/assume` leaves the timeline's bounds open while
the author believes they are stated.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27  # podlint: ignore=PL9999  [PL005]
```

```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
    podlint/ignore: "ALL"  # [PL005]
    podlint/assume: "apii.startup=90s"  # [PL005]
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "example/api:1.0"}]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  annotations:
    podlint/ignore: "PL401,missing-liveness-probe"
    podlint/assume: "api.startup=90s"
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "example/api:1.0"}]
```

## References
- ruff RUF102 (invalid rule code in noqa) and flake8's notes on blanket noqa
- [configuration.md](../docs/configuration.md), "Suppressing findings" and "Timing assumptions"
"""
CODE = "PL005"
NAME = "invalid-suppression"
SEVERITY = "warning"
OPTIONS = {}
SCOPE = "input"       # made by podlint/filter.py while applying suppressions
