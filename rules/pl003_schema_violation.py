"""A field that the Kubernetes schema of the target version rejects.

## What it does
Validates every document whose `apiVersion` and `kind` have a schema in the
target Kubernetes version (`--kubernetes-version`, config `kubernetes-version`)
against the real Kubernetes JSON schemas, strictly: an unknown field (a typo
such as `livenesProbe`), a value of the wrong type (`containerPort: "80"`,
`replicas: "2"`) and a missing required field (a Deployment without
`spec.selector`) are each reported at the offending field, with its JSON path.

A strategic-merge patch (a Kustomize `patches:` file) is not a whole object and
lacks required fields by design: in a document that uses a patch directive
(`$patch`, `$setElementOrder/...`), or that is not marked whole and carries a
pod template in which no container names an `image`, missing required fields
are not reported (unknown fields and wrong types still are), and the directives
themselves are not unknown fields. A named Pod, and a controller with both
`spec.selector` and a pod template, are whole objects: a patch names its
target but repeats neither (PL012 then reports an image-less container).

A value that is nothing but an environment placeholder (`replicas:
"${REPLICAS:-1}"`, `containerPort: $PORT`) is not type-checked: an
envsubst-style template fills it in before `kubectl apply`, so the type that
counts is the substitute's (`"${PORT}0"` is still checked).

Likewise a workload with neither `spec.selector` nor pod template labels is a
Kustomize base whose `commonLabels` add both when it is built: its missing
selector is not reported.

Custom resources (CRDs), unknown kinds (OpenShift's DeploymentConfig among
them) and apiVersions that the target version never served have no schema and
are skipped without a finding. A removed apiVersion whose successor has the
same shape (`extensions/v1beta1`, `apps/v1beta1`, `apps/v1beta2` workloads ->
`apps/v1`; `batch/v1beta1` CronJob -> `batch/v1`; `policy/v1beta1`
PodDisruptionBudget -> `policy/v1`; `autoscaling/v2beta2` -> `autoscaling/v2`;
RBAC, storage, scheduling and other v1beta1 kinds -> v1) is validated against
the successor's schema, so PL004 never hides a typo; the message says so (so is
a deprecated one on a target older than 1.25, whose schema podlint does not ship). What
the move itself changes is left to PL004's hint: the `apiVersion` value, the
`spec.selector` that apps/v1 requires, and the fields it dropped
(`spec.rollbackTo`, `spec.templateGeneration`). Moves that reshape the object
(HPA v2beta1, Ingress, CRD, webhook and CSR v1beta1) are not validated: every
migrated field would be reported. `--no-schema` (config `schema: false`) turns
the rule off.

The schemas come from the `kubernetes-validate` package, which ships the
Kubernetes 1.25 to 1.37 APIs. For a target older than 1.25 the 1.25 schema is
used, and for a target newer than the newest bundled version the newest schema;
the message then ends with the schema version actually used, for example
`(Kubernetes 1.25 schema: the oldest podlint ships; target 1.22)`.

## Why is this bad?
The API server rejects a wrong type or a missing required field, so the apply
fails, often late in a CI/CD pipeline. An unknown field is rejected only when
the client asks for strict field validation (`kubectl` does by default since
1.27); under the API server's default, `Warn`, which many other clients use,
the field is dropped with a warning nobody reads: the misspelt `livenesProbe`
vanishes and the container runs without a liveness probe.

## Example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: "2"  # [PL003]
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          livenesProbe: {httpGet: {path: /, port: 80}}  # [PL003]
---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: example/report:1.0
              args: [--full]
              resource: {limits: {memory: 128Mi}}  # [PL003]
```

Use instead:
```yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          livenessProbe: {httpGet: {path: /, port: 80}}
```

## References
- Kubernetes docs: Kubernetes API Concepts, "Field validation"
- kubernetes-validate (PyPI): strict JSON schemas of the Kubernetes API, 1.25 to 1.37
- kubectl explain: the field reference of each kind
"""
import re
from collections.abc import Iterator

from podlint.api import (Context, Finding, Location, deprecation_status, key_position,
                         object_is_patch, schema_version_for, successor_schema, validate_document)

CODE = "PL003"
NAME = "schema-violation"
SEVERITY = "error"
OPTIONS = {}
SCOPE = "document"      # every object, not only pod-carrying ones


def _explain_path(kind: str, json_path: str) -> str:
    """`spec.template.spec.containers[0].ports` -> `deployment.spec.template.spec.containers.ports`."""
    parts = []
    for part in json_path.replace("[", ".[").split("."):
        if not part or part.startswith("["):
            continue
        if not part.replace("-", "").replace("_", "").isalnum():
            break
        parts.append(part)
    return ".".join([kind.lower(), *parts])


def _schema_note(target: str, used: str | None) -> str:
    if used is None or used == target:
        return ""
    major, minor = (int(x) for x in target.split("."))
    used_pair = tuple(int(x) for x in used.split("."))
    if (major, minor) < used_pair:
        return f" (Kubernetes {used} schema: the oldest podlint ships; target {target})"
    return f" (Kubernetes {used} schema: the newest podlint ships; target {target})"


def check(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    if not isinstance(data, dict):
        return
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return
    target = f"{ctx.kubernetes_version[0]}.{ctx.kubernetes_version[1]}"
    violations = validate_document(data, api_version, kind, target)
    moves: tuple = ()
    via = ""
    if violations is None:
        # A removed apiVersion has no schema of its own: validate against its
        # successor's, minus what the move itself changes (PL004's to report).
        # (Also a deprecated one on a target older than the oldest schema podlint ships.)
        successor = successor_schema(api_version, kind) \
            if deprecation_status(api_version, kind, ctx.kubernetes_version) else None
        if successor is None:
            return
        new_version, moves = successor
        violations = validate_document(data, new_version, kind, target)
        violations = [v for v in violations or () if not _version_move(v, moves)]
        via = f" (checked against {new_version}, which replaces {api_version})"
    if not violations:
        return
    note = _schema_note(target, schema_version_for(target)) + via
    patch = None
    for violation in violations:
        if violation.message.startswith('unknown field "$'):
            continue            # a patch directive ($patch: delete), not a typo
        if violation.message.startswith("missing required field"):
            if patch is None:
                patch = object_is_patch(data, kind)
            if patch:
                continue
            if violation.json_path == "spec" and violation.message.endswith('"selector"') \
                    and labels_injected(data):
                continue
        where = violation.json_path or "(the object)"
        location = Location(ctx.path, violation.line, violation.column)
        if violation.message.startswith("missing required field") and violation.json_path:
            # Point at the key that lacks the field (`spec:`), not at its first child.
            location = _key_location(data, violation.json_path, ctx.path) or location
        yield ctx.finding(location, f"{where}: {violation.message}{note}",
                          hint=_hint(kind, violation))


_STEP = re.compile(r'\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def _key_location(data, json_path: str, path: str) -> Location | None:
    """Position of the last mapping key of `json_path` (`spec.template.spec` -> the
    second `spec:`), or None when the path cannot be followed."""
    node, parent, key, position = data, None, None, 0
    while position < len(json_path):
        match = _STEP.match(json_path, position)
        if not match or match.end() == position:
            return None
        position = match.end()
        name, index, quoted = match.groups()
        if index is not None:
            if not isinstance(node, list) or int(index) >= len(node):
                return None
            parent, key, node = None, None, node[int(index)]
            continue
        step = name if name is not None else re.sub(r"\\(.)", r"\1", quoted)
        if not isinstance(node, dict) or step not in node:
            return None
        parent, key, node = node, step, node[step]
    if parent is None:
        return None
    fallback = Location(path, 0, 0)
    found = key_position(parent, key, path, fallback)
    return None if found == fallback else found


def _version_move(violation, moves) -> bool:
    """A violation that only says "this is the old apiVersion": the apiVersion value
    itself, a field the successor requires (`spec.selector` of apps/v1) or one
    it dropped (`spec.rollbackTo`)."""
    if violation.json_path == "apiVersion":
        return True
    for move in moves:
        if move[0] == "missing" and violation.json_path == move[1] \
                and violation.message == f'missing required field "{move[2]}"':
            return True
        if move[0] == "unknown" and violation.json_path == move[1] \
                and violation.message.startswith("unknown field"):
            return True
    return False


def labels_injected(data) -> bool:
    """No `spec.selector` and no pod template labels either: a Kustomize base whose
    `commonLabels` (or `labels` with `includeSelectors`) adds both when built. A
    hand-written workload that forgot its selector still has template labels."""
    spec = data.get("spec")
    template = spec.get("template") if isinstance(spec, dict) else None
    metadata = template.get("metadata") if isinstance(template, dict) else None
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    return not labels


def _parent(path: str) -> str:
    """The path without its last step: `spec.selector["app.kubernetes.io/name"]`
    -> `spec.selector` (a quoted key may itself contain dots)."""
    if path.endswith("]"):
        return path[: path.rfind("[")]
    return path.rsplit(".", 1)[0] if "." in path else ""


def _hint(kind: str, violation) -> str:
    path = violation.json_path
    if violation.message.startswith("unknown field"):
        parent = _parent(path)
        if parent.lower().endswith("selector") and kind != "Service":
            return (f"labels go under {parent}.matchLabels (a label selector has only matchLabels "
                    "and matchExpressions)")
        return (f"fix the spelling or remove the field; `kubectl explain "
                f"{_explain_path(kind, parent)}` lists the valid ones")
    return f"see `kubectl explain {_explain_path(kind, path)}` for the expected shape"
