"""A probe or hook targets a port the container does not declare.

## What it does
Checks the `port` of every `httpGet`, `tcpSocket` and `grpc` probe and of every
`httpGet` lifecycle hook against the ports of the same container:

- a **named** port that the container does not declare is an error; so is a named
  port declared only with `protocol: UDP` (the checks speak TCP);
- a **numeric** port that the container does not declare, while another probe
  of the same container checks a port it does declare, is a warning: the
  probes disagree about where the app listens (tomcat declares and
  readiness-checks 8080 while its liveness probe dials 80).

Any other undeclared number gives no finding. The kubelet resolves a name
among the container's `ports` and fails when it is missing, but it probes a
number directly on the pod's IP, declared or not (`ports` is informational). An
undeclared number works whenever the app listens there, and health ports
usually are such numbers: kubebuilder operators serve health on `:8081` beside
a declared webhook port, ingress-nginx on `:10254` beside `http`/`https`.

Decision (issue 10's reviews): the info finding for a lone undeclared number is
gone. Three blind reviews judged every such finding in the 3,181-manifest test
corpus noise (43 before the change: ingress-nginx's 10254 in 22, Tiller's
probe port 44135 beside its declared 44134 in 6, SPIRE's health listener 8080
beside 8081 in 2, Elasticsearch's 9200 beside its declared transport port in
2, and 11
probes on a port a sibling container declares, deliberately: jetstream's
server is checked through the HTTP frontend that asks it). The sub-cases that
looked actionable were not: a number one digit away from a declared one is
Tiller's and SPIRE's design, not a typo, and a probe through another container
is a chosen pattern. A typo or a stale number is a bug only the container's
own probes can reveal, and that case stays a warning.

A number that the container's command, args or env values bind
(`--health-probe-bind-address=:8081`, `--port 8081`, `HEALTH_PORT: "8081"`) gives
no finding: the app is told to listen there, and declaring it changes nothing
the kubelet does. Neither does any number in a container that declares no ports
at all: many images listen without declaring anything. A probe with an explicit
`host` other than localhost checks another machine, so its number is not
compared. A string that is not a valid port name (a `${PORT}` placeholder left
by a template) is PL003's to report.

## Why is this bad?
The kubelet resolves a port name only among the probed container's own `ports`
(a name declared in another container of the pod does not count), and the API
server never checks that the name exists. An unknown name makes every probe run
an error whose result is thrown away: a readiness probe never succeeds (the pod
is never Ready and a rollout hangs), a liveness probe never restarts anything, a
startup probe never completes, and an `httpGet` postStart hook fails, which
kills the container. A numeric port the container does not declare is legal and
usually served; when it is a typo or a stale port after the app moved, the check
tests a port nothing listens on, or another container's port.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      ports:
        - {name: http, containerPort: 8080}
      readinessProbe:
        httpGet: {path: /ready, port: web}  # [PL207]
      startupProbe:
        httpGet: {path: /ready, port: http}
      livenessProbe:
        tcpSocket: {port: 8008}  # [PL207] (warning: the startup probe checks 8080)
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: example/app:1.0
      ports:
        - {name: http, containerPort: 8080}
      readinessProbe:
        httpGet: {path: /ready, port: http}
      startupProbe:
        httpGet: {path: /ready, port: http}
      livenessProbe:
        tcpSocket: {port: 8080}
```

## Options
- `numeric-ports` (boolean, default true): also report an undeclared numeric port that another probe of the container contradicts, as a warning (set false to keep only the errors).

## References
- Kubernetes source: pkg/probe/util.go, ResolveContainerPort (looks only in the probed container's ports)
- Kubernetes source: pkg/kubelet/prober/worker.go, doProbe (a probe error is not recorded as a result)
- Kubernetes source: pkg/kubelet/lifecycle/handlers.go, resolvePort (hooks)
- Kubernetes docs: Configure Liveness, Readiness and Startup Probes, "Use a named port"
"""
import re
from collections.abc import Iterator

from podlint.api import Container, Context, Finding, Handler

CODE = "PL207"
NAME = "probe-port-not-declared"
SEVERITY = "error"
OPTIONS = {"numeric-ports": {"type": "boolean", "default": True}}

PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")      # IANA_SVC_NAME
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"})

NAMED_CONSEQUENCE = {
    "readinessProbe": "every run is an error whose result is discarded, so the container never "
                      "becomes Ready",
    "livenessProbe": "every run is an error whose result is discarded, so a hung container is never "
                     "restarted",
    "startupProbe": "every run is an error whose result is discarded, so the startup probe never "
                    "succeeds and the container never becomes Ready",
    "postStart": "the hook fails, so the kubelet kills the container right after it starts",
    "preStop": "the hook fails at once, so the container is stopped without the preStop's delay",
}


def _checks(container: Container) -> Iterator[tuple[str, Handler]]:
    for probe in container.probes:
        if probe.handler.action in ("httpGet", "tcpSocket", "grpc"):
            yield probe.field_name, probe.handler
    for hook in container.hooks:
        if hook.handler.action == "httpGet":     # tcpSocket hooks are unsupported anyway
            yield hook.kind, hook.handler


def _declared_elsewhere(ctx: Context, container: Container, name: str) -> str | None:
    for other in ctx.pod.sidecars + ctx.pod.containers:
        if other is container:
            continue
        if any(port.name == name for port in other.ports):
            return other.name
    return None


def _bound_on_command_line(container: Container, number: int) -> bool:
    """The container's command, args or env values name the port (`:8081`, `=8081`,
    or the number alone): the app is told to listen there."""
    raw = container.raw if isinstance(container.raw, dict) else {}
    words = [w for key in ("command", "args") if isinstance(raw.get(key), list) for w in raw[key]]
    env = raw.get("env")
    if isinstance(env, list):
        words += [item.get("value") for item in env if isinstance(item, dict)]
    ending = re.compile(rf"(^|[:=]){number}$")
    return any(isinstance(w, (str, int)) and not isinstance(w, bool) and ending.search(str(w).strip())
               for w in words)


def _probe_on_declared_port(container: Container) -> tuple[str, int] | None:
    """(probe field, port) of the first probe of `container` that checks a port the
    container declares for TCP, or None."""
    for probe in container.probes:
        handler = probe.handler
        if handler.action not in ("httpGet", "tcpSocket", "grpc") or handler.port is None:
            continue
        if (handler.host or "").lower() not in LOCAL_HOSTS:
            continue
        number = container.resolve_port(handler.port)
        if number is not None and any(p.number == number and p.protocol != "UDP"
                                      for p in container.ports):
            return probe.field_name, number
    return None


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.sidecars + ctx.pod.containers:     # init containers: PL103
        for what, handler in _checks(container):
            port = handler.port
            if port is None:
                continue
            label = what if what.endswith("Probe") else f"{what} hook"
            subject = f'{label} of container "{container.name}"'
            if isinstance(port, str) and not port.isdigit():
                if not PORT_NAME.match(port) or len(port) > 15 or "--" in port \
                        or not any(ch.isalpha() for ch in port):
                    continue        # not a valid port name (a template placeholder?): PL003's
                declared = [p for p in container.ports if p.name == port]
                if declared and any(p.protocol != "UDP" for p in declared):
                    continue
                if declared:
                    problem = (f'targets port "{port}", which the container declares only for UDP: '
                               f"the {handler.action} check connects over TCP to "
                               f"{declared[0].number}, where the app does not listen")
                    hint = f'probe a TCP port, or declare "{port}" with protocol TCP'
                else:
                    elsewhere = _declared_elsewhere(ctx, container, port)
                    where = (f' (container "{elsewhere}" declares it, but the kubelet looks only at '
                             "the probed container's ports)") if elsewhere else ""
                    problem = (f'targets port "{port}", which the container does not declare{where}: '
                               f"{NAMED_CONSEQUENCE[what]}")
                    hint = (f'declare the port in this container (ports: [{{name: {port}, '
                            f'containerPort: N}}]) or use its number')
                yield ctx.finding(handler.port_location, f"{subject} {problem}",
                                  container=container.name, hint=hint)
                continue
            if not ctx.options["numeric-ports"]:
                continue
            number = int(port)
            if (handler.host or "").lower() not in LOCAL_HOSTS or not container.ports:
                continue
            if any(p.number == number for p in container.ports):
                continue
            if _bound_on_command_line(container, number):
                continue        # `--health-probe-bind-address=:8081`: the app listens there
            sibling = _probe_on_declared_port(container)
            if sibling is None:
                continue        # a lone undeclared number: usually served (decision above)
            yield ctx.finding(handler.port_location,
                              f"{subject} targets port {number}, which the container does not "
                              f"declare, while its {sibling[0]} checks the declared port {sibling[1]}: "
                              "the probes disagree about where the app listens, so one of them is "
                              "likely a typo or a stale port",
                              container=container.name, severity="warning",
                              hint="point the check at a port the container declares, or declare "
                                   "the port it listens on")
