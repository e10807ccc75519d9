"""A suppression comment that silences nothing (with `--report-unused-ignores`).

## What it does
With `--report-unused-ignores` (or `report-unused-ignores: true` in the config),
reports `# podlint: ignore=...` comments whose rules produced no finding on the
line they cover. Off unless asked for.

## Why is this bad?
Stale suppressions pile up after fixes and later hide a real finding that
happens to land on the same line.

## Example
```podlint-config
report-unused-ignores: true
```
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app  # podlint: ignore=PL503  [PL006]
      image: nginx:1.27
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
```

## References
- ruff RUF100 (unused noqa directive)
"""
CODE = "PL006"
NAME = "unused-suppression"
SEVERITY = "info"
OPTIONS = {}
SCOPE = "input"       # made by podlint/filter.py while applying suppressions
DEFAULT = False
