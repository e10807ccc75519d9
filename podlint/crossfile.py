"""Facts that need the whole run, kept as small summaries instead of documents.

Each worker returns, per file, a Summary: the identities of the objects it saw,
its Services (selector and ports), its pods (labels and the ports and probes of
each container) and its kustomizations. Conditional findings (see
finding.Condition) are settled here once every file is in, inside the
application scope of podlint.scope. Nothing holds every parsed document of a run.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from podlint.finding import RELATED, Condition, Finding
from podlint.scope import Kustomization, Place, Scopes, name_line, read_kustomization

if TYPE_CHECKING:     # imported when first needed: off the path of runs without budgets
    from podlint.disruption import AutoscalerFacts, BudgetFacts

METRICS_PORT = re.compile(r"(^|-)metrics($|-)")
ObjectKey = tuple[str, int, int]        # (path, document index, item in a kind: List or -1)


def object_key(document) -> ObjectKey:
    return (document.path, document.index, -1 if document.item is None else document.item)


# ----------------------------------------------------------------------------- facts

@dataclass(frozen=True)
class ServicePort:
    """One entry of a Service's `ports`, as the endpoints controller reads it."""
    index: int
    name: str | None
    port: int | None
    target: int | str | None            # targetPort, defaulting to port
    protocol: str                       # default TCP
    line: int                           # the targetPort value (else the entry)
    column: int


@dataclass(frozen=True)
class ServiceFacts:
    name: str | None
    place: Place
    selector: tuple[tuple[str, str], ...]
    ports: tuple[ServicePort, ...]
    publish_not_ready: bool             # endpoints include pods that are not Ready

    def selects(self, labels: dict[str, str]) -> bool:
        return all(labels.get(k) == v for k, v in self.selector)

    def describe(self) -> str:
        return self.place.describe("Service", self.name)


@dataclass(frozen=True)
class ContainerFacts:
    name: str
    role: str                           # init | sidecar | main
    ports: tuple[tuple[str | None, int | None, str], ...]      # (name, number, protocol)
    probe_ports: tuple[int, ...]        # ports its probes target, names resolved
    readiness: bool = False             # has a readinessProbe
    readiness_ports: tuple[int, ...] = ()   # ports its readinessProbe checks
    idle: bool = False                  # only sleeps (a client or placeholder: serves nothing)

    def declares(self, number: int) -> bool:
        return any(n == number for _, n, _ in self.ports)

    def names(self, name: str, protocol: str) -> bool:
        return any(n == name and p == protocol for n, _, p in self.ports)


@dataclass(frozen=True)
class PodFacts:
    ref: str                            # "Deployment/web"
    place: Place
    labels: tuple[tuple[str, str], ...]
    containers: tuple[ContainerFacts, ...]
    complete: bool                      # no image-less container (a patch fragment's ports are unknown)
    replicas: int | None = None         # spec.replicas (default 1) of a scaled kind, 1 for a Pod;
                                        # None where the manifest cannot say (DaemonSet, Job, ...)

    def describe(self) -> str:
        kind, _, name = self.ref.partition("/")
        return self.place.describe(kind, name)

    def scrape_only(self, port: ServicePort) -> bool:
        """A metrics port (named `metrics`, `http-metrics`, ... on the Service or
        the container): Prometheus scrapes it, and a failed scrape during a
        rollout is retried; it is not the traffic PL201 and PL301 protect."""
        names = [port.name, port.target if isinstance(port.target, str) else None]
        if isinstance(port.target, int):
            names += [n for c in self.containers for n, number, _ in c.ports if number == port.target]
        return any(isinstance(n, str) and METRICS_PORT.search(n) for n in names)

    def routed(self, port: ServicePort, gated: bool = False) -> tuple[str, ...]:
        """The containers a Service port sends traffic to (design.md, "Serving").

        A named targetPort resolves among the ports of main containers and
        sidecars, as the endpoints controller's FindPort does (none: the port
        gets no endpoint from this pod). A number goes to the pod's IP: to the
        container declaring it, else to the one whose probe checks it, else,
        since any container may listen on it, to every main container that does
        more than sleep (istio's `curl` and `sleep` samples, `sleep infinity`
        placeholders: a Service may select them, nothing listens); with
        `gated` (PL201), nothing is routed when some container's readinessProbe
        checks the port the Service uses, and the guess is dropped when some
        container has a readinessProbe: the pod joins the endpoints only when
        every container is ready, so that probe already gates them.
        """
        serving = [c for c in self.containers if c.role != "init"]
        target = port.target
        if isinstance(target, str):
            named = [c for c in serving if c.names(target, port.protocol)]
            numbers = {n for c in named for name, n, p in c.ports
                       if name == target and p == port.protocol}
            if gated and any(set(c.readiness_ports) & numbers for c in serving):
                return ()       # a readiness probe already checks the port the Service uses
            return tuple(c.name for c in named)
        if not isinstance(target, int):
            return ()
        if gated and any(target in c.readiness_ports for c in serving):
            return ()
        declared = tuple(c.name for c in serving if c.declares(target))
        if declared:
            return declared
        probed = tuple(c.name for c in serving if target in c.probe_ports)
        if probed:
            return probed
        if gated and any(c.readiness for c in serving):
            return ()       # a guess, and a readiness probe already gates the pod's endpoints
        return tuple(c.name for c in serving if c.role == "main" and not c.idle)


def pod_facts(pod, place: Place) -> PodFacts:
    containers = []
    for c in pod.all_containers:
        probe_ports, readiness_ports = set(), set()
        for probe in c.probes:
            number = c.resolve_port(probe.handler.port)
            if number is not None and probe.handler.action in ("httpGet", "tcpSocket", "grpc"):
                probe_ports.add(number)
                if probe.kind == "readiness" and not probe.handler.host:
                    readiness_ports.add(number)
        containers.append(ContainerFacts(
            c.name, c.role, tuple((p.name, p.number, p.protocol) for p in c.ports),
            tuple(sorted(probe_ports)), c.readiness_probe is not None,
            tuple(sorted(readiness_ports)), _idle(c.raw)))
    complete = not any(c.is_patch_fragment for c in pod.all_containers)
    return PodFacts(pod.workload.ref, place, tuple(sorted(pod.labels.items())), tuple(containers),
                    complete, _replicas(pod.workload))


def _replicas(workload) -> int | None:
    from podlint.disruption import SCALED_KINDS

    if workload.kind == "Pod":
        return 1
    if workload.kind not in SCALED_KINDS:
        return None
    spec = workload.obj.get("spec") if isinstance(workload.obj, dict) else None
    value = spec.get("replicas") if isinstance(spec, dict) else None
    if value is None:
        return 1
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Commands a placeholder or client container runs to stay alive without serving.
IDLE_PROGRAMS = frozenset({"sleep", "touch", "echo", "true", ":", "date", "mkdir", "rm", "cat"})
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def _idle(raw: Any) -> bool:
    """Does the container only sleep? Its command and args, or the script of a
    `sh -c` among them, run nothing but sleep and housekeeping (touch, echo, ...),
    `sleep` among them; `tail -f /dev/null` too. Unknown (image default): no."""
    if not isinstance(raw, dict):
        return False
    words = []
    for key in ("command", "args"):
        value = raw.get(key)
        if isinstance(value, list):
            words.extend(str(v) for v in value)
    if not words:
        return False
    if os.path.basename(words[0]) in SHELLS and len(words) >= 3 and words[1] in ("-c", "-ec", "-ce"):
        script = " ".join(words[2:])
    else:
        script = " ".join(words)
    if re.fullmatch(r"\s*(exec\s+)?(/usr)?(/bin/)?tail\s+-f\s+/dev/null\s*", script):
        return True
    programs = []
    for part in re.split(r"[;&|\n]+", script):
        tokens = part.split()
        while tokens and tokens[0] in ("exec", "do", "then", "while", "until"):
            tokens = tokens[1:]
        if tokens and tokens[0] not in ("done", "fi"):
            programs.append(os.path.basename(tokens[0]))
    return "sleep" in programs and all(p in IDLE_PROGRAMS for p in programs)


def service_facts(data: dict, name: str | None, place: Place) -> ServiceFacts | None:
    spec = data.get("spec")
    if not isinstance(spec, dict) or spec.get("type") == "ExternalName":
        return None
    selector = spec.get("selector")
    if not isinstance(selector, dict) or not selector:
        return None     # no selector: endpoints are managed by hand, no pod is selected
    ports = []
    raw_ports = spec.get("ports")
    for index, entry in enumerate(raw_ports if isinstance(raw_ports, list) else ()):
        if not isinstance(entry, dict):
            continue
        number = _port_number(entry.get("port"))
        raw_target = entry.get("targetPort")
        target: int | str | None
        if isinstance(raw_target, str) and not raw_target.isdigit():
            target = raw_target
        else:
            target = _port_number(raw_target) if raw_target is not None else number
        protocol = entry.get("protocol") if isinstance(entry.get("protocol"), str) else "TCP"
        line, column = _value_position(entry, "targetPort" if raw_target is not None else None,
                                       raw_ports, index)
        port_name = entry.get("name") if isinstance(entry.get("name"), str) else None
        ports.append(ServicePort(index, port_name, number, target, protocol, line, column))
    return ServiceFacts(name, place, tuple(sorted((str(k), str(v)) for k, v in selector.items())),
                        tuple(ports), spec.get("publishNotReadyAddresses") is True)


def _port_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _value_position(entry: Any, key: str | None, seq: Any, index: int) -> tuple[int, int]:
    try:
        if key is not None:
            line, column = entry.lc.value(key)
        else:
            line, column = seq.lc.item(index)
        return line + 1, column + 1
    except Exception:
        return 0, 0


# ----------------------------------------------------------------------------- summary

@dataclass
class Summary:
    objects: list[tuple[str, str, Place]] = field(default_factory=list)     # (kind, name, place)
    services: list[ServiceFacts] = field(default_factory=list)
    service_keys: dict[ObjectKey, ServiceFacts] = field(default_factory=dict)
    pods: dict[ObjectKey, PodFacts] = field(default_factory=dict)
    kustomizations: list[Kustomization] = field(default_factory=list)
    budgets: dict[ObjectKey, "BudgetFacts"] = field(default_factory=dict)
    autoscalers: list["AutoscalerFacts"] = field(default_factory=list)

    def add_document(self, document, kind: str | None, name: str | None,
                     namespace: str | None) -> None:
        """Record what other files may need of this document."""
        data = document.data
        kustomization = read_kustomization(document.path, data)
        if kustomization is not None:
            self.kustomizations.append(kustomization)
            return
        if kind is None:
            return
        place = Place(document.path, namespace, name_line(data, document.line))
        if name:
            self.objects.append((kind, name, place))
        if kind == "Service" and isinstance(data, dict):
            facts = service_facts(data, name, place)
            if facts is not None:
                self.services.append(facts)
                self.service_keys[object_key(document)] = facts
        elif kind == "PodDisruptionBudget" and isinstance(data, dict):
            from podlint.disruption import budget_facts
            budget = budget_facts(data, str(data.get("apiVersion")), name, place)
            if budget is not None:
                self.budgets[object_key(document)] = budget
        elif kind == "HorizontalPodAutoscaler" and isinstance(data, dict):
            from podlint.disruption import autoscaler_facts
            scaler = autoscaler_facts(data, name, place)
            if scaler is not None:
                self.autoscalers.append(scaler)

    def add_pod(self, document, pod) -> None:
        place = Place(document.path, pod.namespace, name_line(document.data, document.line))
        self.pods[object_key(document)] = pod_facts(pod, place)

    def merge(self, other: "Summary") -> None:
        self.objects.extend(other.objects)
        self.services.extend(other.services)
        self.service_keys.update(other.service_keys)
        self.pods.update(other.pods)
        self.kustomizations.extend(other.kustomizations)
        self.budgets.update(other.budgets)
        self.autoscalers.extend(other.autoscalers)
        self._index = None

    # lookup tables built on first use and dropped by merge(): not part of the data
    _index: "_Index | None" = field(default=None, init=False, repr=False, compare=False)

    @property
    def index(self) -> "_Index":
        if self._index is None:
            self._index = _Index(self)
        return self._index

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_index"] = None
        return state


class _Index:
    """Lookups over a merged Summary: scopes, objects by (kind, name), Services
    by selector item (a selector matches only if all its items do, so a Service
    is filed under its first item: settling is a dictionary lookup per label),
    and by namespace when no kustomization moves objects between namespaces."""

    def __init__(self, summary: Summary):
        kinds: dict[str, set[str]] = {}
        for kind, _, place in summary.objects:
            kinds.setdefault(place.path, set()).add(kind)
        self.scopes = Scopes(list(summary.kustomizations),
                             {path: frozenset(k) for path, k in kinds.items()},
                             frozenset(p.place.path for p in summary.pods.values()))
        self.objects: dict[tuple[str, str], list[Place]] = {}
        for kind, name, place in summary.objects:
            self.objects.setdefault((kind, name), []).append(place)
        for generated, place in self.scopes.generated():
            self.objects.setdefault((generated.kind, generated.name), []).append(place)
        # Services by (namespace, first selector item) and pods by namespace: objects
        # of different namespaces relate only through a kustomization that sets the
        # namespace, so without one a tenant's copy never looks at another's.
        self.by_namespace = not self.scopes.sets_namespaces()
        self.by_item: dict[tuple, list[ServiceFacts]] = {}
        for service in sorted(summary.services, key=_service_order):
            self.by_item.setdefault(self._item_key(service.place, service.selector[0]), []).append(service)
        self.pods = sorted(summary.pods.values(), key=lambda p: (p.place.path, p.place.line, p.ref))
        self.pods_in: dict[str | None, list[PodFacts]] = {}
        for pod in self.pods:
            self.pods_in.setdefault(pod.place.namespace, []).append(pod)
        self.budgets = sorted(summary.budgets.values(), key=lambda b: (b.place.path, b.place.line))
        self.budgets_in: dict[str | None, list] = {}
        for budget in self.budgets:
            self.budgets_in.setdefault(budget.place.namespace, []).append(budget)
        self.autoscalers = sorted(summary.autoscalers, key=lambda a: (a.place.path, a.place.line))
        self.by_target: dict[str, list] = {}
        for scaler in self.autoscalers:
            self.by_target.setdefault(f"{scaler.target_kind}/{scaler.target_name}", []).append(scaler)
        # Answers per group of alike objects: pods with the same labels in the same
        # file and namespace have the same Services, and so on. A bundle of
        # thousands of copies of one app (rendered per tenant) relates every pod
        # to every Service; without these the settling is quadratic in its size.
        self._memo: dict[tuple, Any] = {}

    def _item_key(self, place: Place, item: tuple[str, str]) -> tuple:
        return (place.namespace, item) if self.by_namespace else (item,)

    def _pods_near(self, place: Place) -> list[PodFacts]:
        return self.pods_in.get(place.namespace, []) if self.by_namespace else self.pods

    def _remember(self, key: tuple, compute):
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._memo[key] = compute()
        return found

    def services_selecting(self, pod: PodFacts) -> list[ServiceFacts]:
        """The Services in the pod's scope that select it, in path order."""
        return self._remember(("selecting", pod.labels, pod.place.path, pod.place.namespace),
                              lambda: self._services_selecting(pod))

    def _services_selecting(self, pod: PodFacts) -> list[ServiceFacts]:
        labels = dict(pod.labels)
        found = {}
        for item in pod.labels:
            for service in self.by_item.get(self._item_key(pod.place, item), ()):
                if service.selects(labels) and self.scopes.close(pod.place, service.place, "Service"):
                    found[id(service)] = service
        # Its own file's Services first: the ones a reader expects to see named.
        return sorted(found.values(),
                      key=lambda s: (s.place.path != pod.place.path,) + _service_order(s))

    def pods_selected(self, service: ServiceFacts) -> list[PodFacts]:
        return self._remember(
            ("selected", service.selector, service.place.path, service.place.namespace),
            lambda: [pod for pod in self._pods_near(service.place)
                     if pod.labels and service.selects(dict(pod.labels))
                     and self.scopes.close(pod.place, service.place, "Service")])

    def serving_services(self, pod: PodFacts) -> list[ServiceFacts]:
        """The Services in scope that send the pod traffic other than scrapes."""
        return self._remember(
            ("serving", _shape(pod)),
            lambda: [s for s in self.services_selecting(pod)
                     if any(not pod.scrape_only(port) and pod.routed(port) for port in s.ports)])

    def routing_services(self, pod: PodFacts, container: str, gated: bool) -> list[ServiceFacts]:
        """The Services in scope that send `container` traffic (`gated`: only
        those whose endpoints wait for readiness)."""
        def compute():
            return [service for service in self.services_selecting(pod)
                    if not (gated and service.publish_not_ready)
                    and any(container in pod.routed(port, gated)
                            for port in service.ports if not pod.scrape_only(port))]
        return self._remember(("routing", _shape(pod), container, gated), compute)

    def budgets_for(self, pod: PodFacts) -> list["BudgetFacts"]:
        """The PodDisruptionBudgets in the pod's scope that cover it, in path order."""
        def compute():
            near = self.budgets_in.get(pod.place.namespace, []) if self.by_namespace else self.budgets
            found = [b for b in near if b.selects(dict(pod.labels))
                     and self.scopes.close(pod.place, b.place, "PodDisruptionBudget")]
            return sorted(found, key=lambda b: (b.place.path, b.place.line))
        return self._remember(("budgets", pod.labels, pod.place.path, pod.place.namespace), compute)

    def autoscalers_for(self, pod: PodFacts) -> list["AutoscalerFacts"]:
        return [a for a in self.by_target.get(pod.ref, ()) if self._scales(pod, a)]

    def target_unresolved(self, service: ServiceFacts, target: str, protocol: str) -> bool:
        """Do the pods a Service selects all lack its named targetPort? Not when
        none is selected, or one is a patch fragment whose ports come from its base."""
        def compute():
            pods = self.pods_selected(service)
            if not pods or not all(p.complete for p in pods):
                return False
            return not any(c.names(target, protocol)
                           for p in pods for c in p.containers if c.role != "init")
        return self._remember(("unresolved", service.selector, service.place.path,
                               service.place.namespace, target, protocol), compute)

    def _scales(self, pod: PodFacts, scaler) -> bool:
        return self.scopes.close(pod.place, scaler.place, "HorizontalPodAutoscaler")

    def covered(self, budget: "BudgetFacts"):
        from podlint.disruption import covered

        workloads = [p for p in self._pods_near(budget.place)
                     if self.scopes.close(p.place, budget.place, "PodDisruptionBudget")]
        return covered(budget, workloads, self.autoscalers, self._scales)

    def defined(self, kind: str, name: str, place: Place) -> bool:
        return any(self.scopes.related(place, other, maybe=True)
                   for other in self.objects.get((kind, name), ()))


def _service_order(service: ServiceFacts) -> tuple:
    return (service.place.path, service.place.line, service.name or "")


# ----------------------------------------------------------------------------- settling

def _name_all(described: list[str]) -> str:
    if len(described) <= 2:
        return " and ".join(described)
    return f"{described[0]}, {described[1]} and {len(described) - 2} more"


def _name_all_of(objects: list) -> str:
    """`_name_all` of the objects' descriptions, describing only the two it names."""
    named = [o.describe() for o in objects[:2]] + [""] * max(0, len(objects) - 2)
    return _name_all(named)


def _shape(pod: PodFacts) -> tuple:
    """What the routing of a pod's traffic depends on (not its name or line)."""
    return (pod.labels, pod.place.path, pod.place.namespace, pod.containers)


_MISSING = object()


def _resolve(finding: Finding, summary: Summary) -> Finding | None:
    """The finding as it stands once the whole run is known, or None if its
    condition does not hold. Findings that rest on another object name it."""
    condition = finding.condition
    if condition.also is not None and _resolve(replace(finding, condition=condition.also), summary) is None:
        return None
    index = summary.index
    if condition.kind == "undefined":
        place = Place(condition.path, condition.namespace)
        return None if index.defined(condition.ref_kind, condition.ref_name, place) else finding
    if condition.kind == "routed":
        pod = summary.pods.get(condition.key)
        if pod is None:
            return None
        # with readiness: a Service publishing not-ready addresses does not wait for it
        services = index.routing_services(pod, condition.detail, condition.readiness)
        if not services:
            return None
        return _named(finding, _name_all_of(services))
    if condition.kind == "unresolved-target":
        service = summary.service_keys.get(condition.key)
        if service is None:
            return None
        port = next((p for p in service.ports if p.index == int(condition.detail)), None)
        if port is None:
            return None
        if not index.target_unresolved(service, str(port.target), port.protocol):
            return None
        return _named(finding, _name_all_of(index.pods_selected(service)))
    if condition.kind == "served":
        pod = summary.pods.get(condition.key)
        services = index.serving_services(pod) if pod is not None else []
        return _named(finding, _name_all_of(services)) if services else None
    if condition.kind == "autoscaled":
        pod = summary.pods.get(condition.key)
        scalers = index.autoscalers_for(pod) if pod is not None else []
        return _named(finding, _name_all_of(scalers)) if scalers else None
    if condition.kind == "budget":
        budget = summary.budgets.get(condition.key)
        if budget is None:
            return None
        covered = index.covered(budget)
        if covered.pods is None:
            return None
        if condition.detail == "full" and covered.allowed == 0:
            plural = "s" if covered.pods != 1 else ""
            return _named(finding, f"{_name_all(list(covered.workloads))}: {covered.pods} pod{plural}")
        if condition.detail == "minimum" and covered.allowed_at_minimum == 0 and (covered.allowed or 0) > 0:
            scalers = _name_all([a.describe() for a in covered.autoscalers])
            plural = "s" if covered.pods_at_minimum != 1 else ""
            return _named(finding, f"{scalers} at its minimum: {covered.pods_at_minimum} pod{plural}")
        return None
    return finding


def _named(finding: Finding, text: str) -> Finding:
    if RELATED not in finding.message and RELATED not in (finding.hint or ""):
        return finding
    return replace(finding, message=finding.message.replace(RELATED, text),
                   hint=finding.hint.replace(RELATED, text) if finding.hint else finding.hint)


def settle(findings: list[Finding], summary: Summary) -> list[Finding]:
    """Keep unconditional findings and conditional ones whose condition holds."""
    kept = []
    for finding in findings:
        if finding.condition is None:
            kept.append(finding)
            continue
        resolved = _resolve(finding, summary)
        if resolved is not None:
            kept.append(resolved)
    return kept
