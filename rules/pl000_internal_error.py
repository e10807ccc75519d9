"""A rule crashed, or a worker process died, while linting this object or file.

## What it does
Reports, instead of a traceback, that a rule raised an exception on an object
(or that a `--jobs` worker process died on a file). The other rules and files
still run; the exit code is 2.

## Why is this bad?
A crash means podlint could not check something: without this report the gap
would be silent. It is always a bug in a rule (built-in or from a pack), never
a problem in the manifest; please report it with the manifest that triggers it.

## Example
A crash cannot be shown with a manifest: a correct rule never raises.
```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: nothing-to-see}
```

Use instead:
```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: nothing-to-see}
```

## References
- podlint docs/robustness.md: how a buggy rule is contained
"""
CODE = "PL000"
NAME = "internal-error"
SEVERITY = "error"
OPTIONS = {}
SCOPE = "input"       # made by the engine (podlint/engine.py), not by a check
