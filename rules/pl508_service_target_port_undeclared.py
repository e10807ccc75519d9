"""A Service's named targetPort that no container of the pods it selects declares.

## What it does
Flags a Service port whose `targetPort` is a name (`targetPort: http`) when
the Service selects pods in its application scope (the same namespace, and the
same folder, stream or kustomization, as for PL201 and PL301) and no main
container or sidecar of any of them declares a port with that name and the
Service port's protocol (TCP unless set). The finding is on the `targetPort`
value and names the pods it looked at.

It stays quiet when the linted files hold no pod the Service selects (the pods
may be defined elsewhere), when a selected pod has a container without an
image (a Kustomize patch fragment, whose base declares the ports), for
numeric targetPorts (traffic goes to that port whether or not it is declared),
and for Services without a selector (their endpoints are managed by hand).

## Why is this bad?
The endpoints controller resolves a named targetPort per pod, by looking the
name up among the pod's container ports with the Service port's protocol
(Kubernetes `FindPort`, pkg/api/v1/pod/util.go; since native sidecars also
among restartable init containers). When the lookup fails, that pod gets no
endpoint for the port (`getEndpointPorts` in the EndpointSlice controller
skips it). If no selected pod declares the name, the Service has no endpoints
at all for that port: every connection to it fails, although the pods are
Ready and the API server accepted both objects. It is an error because the
outcome is certain: nothing is served through that port.

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
      containers:
        - name: app
          image: example/web:2.0
          ports: [{name: web, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: http  # [PL508]
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
        - name: app
          image: example/web:2.0
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: http
```

## References
- Kubernetes docs: Service, "Port definitions" (a named targetPort refers to a named container port)
- Kubernetes source: pkg/api/v1/pod/util.go `FindPort`; staging/src/k8s.io/endpointslice/utils.go `getEndpointPorts` (a port that FindPort cannot resolve is skipped for that pod)
"""
import re
from collections.abc import Iterator

from podlint.api import RELATED, Context, Finding, Location, value_position

CODE = "PL508"
NAME = "service-target-port-undeclared"
SEVERITY = "error"
OPTIONS = {}
SCOPE = "document"      # the finding is on the Service, settled once every pod is known

# IANA_SVC_NAME, as the API server validates a named port: 1-15 lowercase
# letters, digits and single dashes, with at least one letter. Anything else
# (`PORT`, `${GRPC_PORT}`) is a placeholder for sed or envsubst, or PL003's.
PORT_NAME = re.compile(r"^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$")


def check(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    if not isinstance(data, dict) or data.get("kind") != "Service" or data.get("apiVersion") != "v1":
        return
    spec = data.get("spec")
    if not isinstance(spec, dict) or not isinstance(spec.get("selector"), dict):
        return
    ports = spec.get("ports")
    if not isinstance(ports, list):
        return
    for index, entry in enumerate(ports):
        if not isinstance(entry, dict):
            continue
        target = entry.get("targetPort")
        if not isinstance(target, str) or not PORT_NAME.match(target):
            continue
        protocol = entry.get("protocol") if isinstance(entry.get("protocol"), str) else "TCP"
        number = entry.get("port")
        shown = f"port {number}" if isinstance(number, int) else f"ports[{index}]"
        here = Location(ctx.path, ctx.document.line, ctx.document.column)
        name = (ctx.object_ref or "Service/").partition("/")[2]
        yield ctx.finding(
            value_position(entry, "targetPort", ctx.path, here),
            f'Service "{name}" {shown} targets the named port "{target}", but no container of the '
            f"pods it selects ({RELATED}) declares a {protocol} port of that name: the Service "
            "gets no endpoints for this port",
            when=ctx.unresolved_target(index),
            hint=f'name the container port "{target}" (ports[].name, protocol {protocol}) in the '
                 "pod template, or set targetPort to a name or number the container declares")
