"""A suppression that names no rule, or a rule that does not exist.

## What it does
Checks every `# podlint: ignore=...` comment and every `podlint/ignore`
annotation: each must name rule codes (`PL301`), prefixes (`PL3`) or names
(`missing-prestop`) that podlint knows. A comment without codes is reported too:
podlint has no blanket ignore.

## Why is this bad?
A misspelt code silences nothing, and the author believes the finding is
handled. Blanket ignores hide every future finding on the line (flake8's
maintainers call bare `noqa` their biggest regret).

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

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27  # podlint: ignore=PL501
```

## References
- ruff RUF102 (invalid rule code in noqa) and flake8's notes on blanket noqa
"""
CODE = "PL005"
NAME = "invalid-suppression"
SEVERITY = "warning"
OPTIONS = {}
SCOPE = "input"       # made by podlint/filter.py while applying suppressions
