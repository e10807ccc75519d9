"""A file or document that is not valid YAML or JSON, or cannot be read.

## What it does
Reports files that cannot be read (missing, unreadable, not a regular file, over
`--max-file-size`, binary, not UTF-8/UTF-16 text) and documents that are not
valid YAML: syntax errors, tab indentation, duplicate keys, YAML alias bombs,
nesting too deep to read, and tags that are not plain data (`!Ref`,
`!!python/object`). The finding points at the line and column of the problem;
the other documents of the file and every other file are still linted.

## Why is this bad?
`kubectl apply` rejects the file, or applies only part of it. Duplicate keys are
worse: YAML libraries disagree on which value wins, and Kubernetes' own decoder
rejects them. podlint cannot check what it cannot read, so the exit code is 2.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
  name: web-2  # [PL001]
spec:
  containers:
    - name: app
      image: nginx:1.27
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:1.27
```

## References
- YAML 1.2 specification, section 3.2.1.1: mapping keys are unique
- Kubernetes: sigs.k8s.io/yaml strict decoding rejects duplicate fields
"""
CODE = "PL001"
NAME = "parse-error"
SEVERITY = "error"
OPTIONS = {}
SCOPE = "input"       # made by the loader (podlint/loader.py), not by a check
