"""A container-level restartPolicy the target Kubernetes version does not accept.

## What it does
Judges `restartPolicy` and `restartPolicyRules` on containers against the
target version (`--kubernetes-version`, default the newest):

- before 1.35, a regular container (`containers`) may not set `restartPolicy`
  or `restartPolicyRules`, and an init container may set only
  `restartPolicy: Always` (which makes it a sidecar) and no rules;
- from 1.35, where the ContainerRestartRules feature is beta and on, both may
  set `Always`, `OnFailure` or `Never`, with rules (the finer limits on rules
  are not checked);
- at every version, a value other than `Always`, `OnFailure` or `Never` (a
  lowercase `always`) is rejected.

## Why is this bad?
Before 1.34 the API server rejects the object (`may not be set for non-init
containers`, `Unsupported value: "OnFailure": supported values: "Always"`), so
nothing is created. On 1.34, where the feature is alpha and off unless a
cluster admin turns it on, the API server silently drops the fields instead:
the container runs under the pod's restartPolicy, not the one written. A
common cause is copying `restartPolicy: Always` from a sidecar example onto a
regular container, or onto the pod's main container instead of the pod spec.

## Example
```podlint-config
kubernetes-version: "1.33"
```
```yaml
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  initContainers:
    - name: fetch
      image: busybox:1.36
      restartPolicy: OnFailure  # [PL009]
  containers:
    - name: app
      image: example/worker:1.0
      restartPolicy: Always  # [PL009]
```

Use instead:
```podlint-config
kubernetes-version: "1.33"
```
```yaml
apiVersion: v1
kind: Pod
metadata: {name: worker}
spec:
  restartPolicy: OnFailure
  initContainers:
    - name: fetch
      image: busybox:1.36
  containers:
    - name: app
      image: example/worker:1.0
```

## References
- Kubernetes source: pkg/apis/core/validation/validation.go, validateContainers ("may not be set
  for non-init containers"), validateInitContainers / validateInitContainerRestartPolicy
  (only Always before ContainerRestartRules), validateContainerRestartPolicy (1.34+)
- Kubernetes source: pkg/api/pod/util.go, dropDisabledPodFields (drops the fields while
  ContainerRestartRules is off, 1.34)
- KEP-5307 Container Restart Rules (alpha 1.34, beta 1.35); lifecycle-semantics.md 5 and 8
"""
from collections.abc import Iterator

from podlint.api import Context, Finding

CODE = "PL009"
NAME = "container-restart-policy-not-allowed"
SEVERITY = "error"
OPTIONS = {}

VALUES = ("Always", "OnFailure", "Never")
ALPHA = (1, 34)         # ContainerRestartRules alpha: off by default, fields dropped
BETA = (1, 35)          # beta, on by default


def _consequence(version: tuple[int, int]) -> str:
    if version >= ALPHA:
        return ("Kubernetes 1.34 drops it unless the alpha ContainerRestartRules gate is on, "
                "so the container follows the pod's restartPolicy")
    return "the API server rejects the object"


def check(ctx: Context) -> Iterator[Finding]:
    version = ctx.kubernetes_version
    for container in ctx.pod.all_containers:
        raw = container.raw
        if not isinstance(raw, dict):
            continue
        value = raw.get("restartPolicy")
        rules = raw.get("restartPolicyRules")
        kind = "init container" if container.is_init or container.is_sidecar else "container"
        if value is not None:
            if not isinstance(value, str):
                continue                    # a wrong type is PL003's
            if value not in VALUES:
                yield ctx.finding(
                    container.where("restartPolicy", value=True),
                    f'{kind} "{container.name}" sets restartPolicy {value}, which is not a '
                    "restart policy (Always, OnFailure or Never); the API server rejects the object",
                    container=container.name, hint="spell it Always, OnFailure or Never")
                continue
            if version < BETA and (container.is_main or value != "Always"):
                what = ("a regular container" if container.is_main
                        else f"an init container ({value}; only Always, a sidecar, is accepted)")
                yield ctx.finding(
                    container.where("restartPolicy", value=True),
                    f'{kind} "{container.name}" sets restartPolicy {value}, which Kubernetes '
                    f"{version[0]}.{version[1]} does not accept on {what}: {_consequence(version)}",
                    container=container.name,
                    hint="set restartPolicy on the pod spec instead; a container-level policy "
                         "needs Kubernetes 1.35 (ContainerRestartRules beta)")
        if rules is not None and rules != [] and ALPHA <= version < BETA:   # older: unknown field, PL003
            yield ctx.finding(
                container.where("restartPolicyRules"),
                f'{kind} "{container.name}" sets restartPolicyRules, which Kubernetes '
                f"{version[0]}.{version[1]} does not accept: {_consequence(version)}",
                container=container.name,
                hint="remove restartPolicyRules, or target Kubernetes 1.35 or later")
