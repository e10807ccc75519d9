"""A suppression that silences nothing (with `--report-unused-ignores`).

## What it does
Reports `# podlint: ignore=...` comments whose rules produced no finding on the
line they cover, and `podlint/ignore` annotations whose rules produced no
finding for their object (at the annotation's line). When only some of the
rules a suppression names are unused, the finding names those.

Off unless asked for: `--report-unused-ignores`, `report-unused-ignores: true`
in the config, or selecting the rule by its code or name (`--extend-select
PL006`). A suppression of a rule that did not run (left out by `--select` or a
per-path ignore) is not reported: it may be needed in a full run. A rule whose
finding depends on other files (PL201 and PL301 "if a Service selects the pod",
PL507) counts as used whenever it fired, so such a suppression can go
unreported, never the other way round.

## Why is this bad?
Stale suppressions pile up after fixes and later hide a real finding that
happens to land on the same line.

## Example
```podlint-config
report-unused-ignores: true
extend-select: [PL503]    # PL503 runs (it is on by default) and finds nothing here
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
