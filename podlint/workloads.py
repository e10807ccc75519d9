"""Documents to workloads: find the pod template inside every pod-carrying kind.

Any apiVersion is accepted (apps/v1beta1 Deployments are still linted; PL004
says they are no longer served). Documents of other kinds, and documents that
are not objects at all, are not workloads and produce nothing here.

OpenShift's DeploymentConfig (apps.openshift.io/v1, and the legacy `v1` of
OpenShift 3) carries a pod template like a ReplicationController: its pods are
linted, its `spec.selector` is a plain label map, and its rollout strategy
(Rolling or Recreate) is read by `Workload.strategy` like a Deployment's.

Whether an object is a whole object or a strategic-merge patch fragment
(Kustomize `patches:`) is decided here, once per object (`Workload.is_patch`):
rules that judge what is missing stay quiet on fragments, and an image-less
container is a fragment only inside an object that is one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from podlint.finding import Location
from podlint.loader import Document

# Where each kind keeps its pod template (metadata + spec). () means the object is the pod.
TEMPLATE_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
    "DeploymentConfig": ("spec", "template"),
}
RUN_TO_COMPLETION_KINDS = frozenset({"Job", "CronJob"})
# DeploymentConfig is OpenShift's; another group's kind of that name is a CRD we do not know.
OPENSHIFT_API_VERSIONS = frozenset({"apps.openshift.io/v1", "v1"})
# Kinds whose pods the controller keeps running: the template's restartPolicy must be Always.
ALWAYS_RESTART_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                  "ReplicationController", "DeploymentConfig"})
# Kinds whose `spec.selector` is a LabelSelector (matchLabels/matchExpressions); the
# ReplicationController and DeploymentConfig selector is a plain label map.
LABEL_SELECTOR_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"})
MAP_SELECTOR_KINDS = frozenset({"ReplicationController", "DeploymentConfig"})
# A selector plus a template marks these as whole objects (see Workload.is_whole).
WHOLE_BY_SELECTOR_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                     "ReplicationController", "Job"})
PATCH_DIRECTIVE_PREFIX = "$"        # $patch, $setElementOrder/..., $retainKeys, $deleteFromPrimitiveList/...


class ModelError(Exception):
    """A field of the wrong type that stops the model (reported as PL002)."""

    def __init__(self, location: Location, message: str):
        super().__init__(message)
        self.location = location
        self.message = message


@dataclass(eq=False)
class Workload:
    kind: str
    api_version: str
    name: str | None
    namespace: str | None
    document: Document
    obj: Any                        # the whole object (CommentedMap)
    template: Any                   # the pod template mapping (metadata + spec), or the Pod itself
    template_path: str              # "spec.template", "" for a Pod
    location: Location              # the object's first key

    @cached_property
    def is_whole(self) -> bool:
        """Marked as a whole object, not a strategic-merge patch: no patch directive
        anywhere, and either a Pod with a name (or generateName) or a controller
        with its `spec.selector` and pod template (a Kustomize patch names its
        target but repeats neither selector nor labels). Jobs and CronJobs carry
        no selector (the API generates it), PodTemplates and DeploymentConfigs
        (whose image triggers fill images in) have no such mark: they are never
        marked whole."""
        return object_is_whole(self.obj, self.kind)

    @cached_property
    def is_patch(self) -> bool:
        """A strategic-merge patch fragment (Kustomize `patches:`): a patch
        directive, or not marked whole and no container of its pod names an
        image (the test PL003 has always used)."""
        return object_is_patch(self.obj, self.kind, self.template)

    @cached_property
    def strategy(self) -> "Strategy | None":
        """The rollout strategy with the controller's defaults applied, or None for
        kinds that do not roll out (Pod, Job, CronJob, ReplicaSet, ...)."""
        return read_strategy(self)

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name or '<unnamed>'}"

    @property
    def path(self) -> str:
        return self.document.path


def object_identity(data: Any) -> tuple[str, str, str | None, str | None] | None:
    """(apiVersion, kind, name, namespace) of a Kubernetes object, or None."""
    if not isinstance(data, dict):
        return None
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str) or not kind:
        return None
    metadata = data.get("metadata")
    name = namespace = None
    if isinstance(metadata, dict):
        raw_name, raw_ns = metadata.get("name"), metadata.get("namespace")
        name = str(raw_name) if isinstance(raw_name, (str, int)) and not isinstance(raw_name, bool) else None
        namespace = raw_ns if isinstance(raw_ns, str) else None
    return api_version, kind, name, namespace


def has_patch_directive(data: Any, limit: int = 20_000) -> bool:
    """Any mapping key starting with `$` (`$patch: delete`, `$setElementOrder/containers`,
    `$retainKeys`): only strategic-merge patches use them. Bounded walk."""
    stack, seen = [(data, 0)], 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > limit or depth > 40:
            return False
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.startswith(PATCH_DIRECTIVE_PREFIX):
                    return True
                if isinstance(value, (dict, list)):
                    stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node if isinstance(item, (dict, list)))
    return False


def _pod_has_image(template: Any) -> bool:
    spec = template.get("spec") if isinstance(template, dict) else None
    if not isinstance(spec, dict):
        return False
    for key in ("containers", "initContainers"):
        items = spec.get(key)
        if isinstance(items, list) and any(
                isinstance(c, dict) and isinstance(c.get("image"), str) and c["image"].strip()
                for c in items):
            return True
    return False


def object_is_whole(data: Any, kind: str) -> bool:
    """See `Workload.is_whole`."""
    if kind == "Pod":
        metadata = data.get("metadata") if isinstance(data, dict) else None
        marked = isinstance(metadata, dict) and bool(metadata.get("name") or metadata.get("generateName"))
    elif kind in WHOLE_BY_SELECTOR_KINDS:
        spec = data.get("spec") if isinstance(data, dict) else None
        marked = isinstance(spec, dict) and bool(spec.get("selector")) \
            and isinstance(spec.get("template"), dict)
    else:
        return False
    return marked and not has_patch_directive(data)


def object_is_patch(data: Any, kind: str, template: Any = None) -> bool:
    """See `Workload.is_patch`; `template` is the pod template mapping (or the Pod)."""
    if has_patch_directive(data):
        return True
    if kind not in TEMPLATE_PATHS or object_is_whole(data, kind):
        return False            # no pod to judge by, or marked whole
    if template is None:
        node = data
        for key in TEMPLATE_PATHS[kind]:
            node = node.get(key) if isinstance(node, dict) else None
        template = node
    return not _pod_has_image(template)


def position(node: Any, path: str, default: Location | None = None) -> Location:
    lc = getattr(node, "lc", None)
    if lc is None or lc.line is None:
        return default or Location(path, 1, 1)
    return Location(path, lc.line + 1, lc.col + 1)


def key_position(mapping: Any, key: Any, path: str, default: Location) -> Location:
    """Location of `key` in `mapping`; keys that came from a merge fall back."""
    try:
        line, column = mapping.lc.key(key)
        return Location(path, line + 1, column + 1)
    except Exception:
        return default


def value_position(mapping: Any, key: Any, path: str, default: Location) -> Location:
    try:
        line, column = mapping.lc.value(key)
        return Location(path, line + 1, column + 1)
    except Exception:
        return default


def item_position(seq: Any, index: int, path: str, default: Location) -> Location:
    try:
        line, column = seq.lc.item(index)
        return Location(path, line + 1, column + 1)
    except Exception:
        return default


@dataclass(frozen=True)
class Strategy:
    """How a controller replaces pods, as its API defaults it (lifecycle-semantics.md 6).

    `type` is normalised: RollingUpdate (a DeploymentConfig's `Rolling`), Recreate,
    OnDelete, or Custom (DeploymentConfig only); `declared` is what the manifest
    says (None when defaulted). `max_surge`/`max_unavailable` are int-or-percent
    as written or defaulted (None where the kind has no such knob), unresolved
    against replicas. `timeout_seconds` is a DeploymentConfig's rollingParams or
    recreateParams timeoutSeconds (default 600: the deployer pod gives up and
    rolls back after it); `progress_deadline` a Deployment's progressDeadlineSeconds
    (None: no deadline, as in extensions/v1beta1)."""
    type: str
    declared: str | None
    max_surge: int | str | None
    max_unavailable: int | str | None
    timeout_seconds: int | None
    progress_deadline: int | None
    min_ready_seconds: int
    location: Location              # `strategy:` / `updateStrategy:`, else the object


# (kind, apiVersion) -> (default type, default maxSurge, default maxUnavailable); apiVersion
# None is every other version. Sources: apps/v1 and extensions/v1beta1 defaults.go
# (lifecycle-semantics.md 6, D6).
_STRATEGY_DEFAULTS: dict[tuple[str, str | None], tuple[str, Any, Any]] = {
    ("Deployment", None): ("RollingUpdate", "25%", "25%"),
    ("Deployment", "extensions/v1beta1"): ("RollingUpdate", 1, 1),
    ("StatefulSet", None): ("RollingUpdate", None, 1),
    ("StatefulSet", "apps/v1beta1"): ("OnDelete", None, 1),
    ("DaemonSet", None): ("RollingUpdate", 0, 1),
    ("DaemonSet", "extensions/v1beta1"): ("OnDelete", 0, 1),
    ("DeploymentConfig", None): ("RollingUpdate", "25%", "25%"),
}
DEPLOYMENT_CONFIG_TIMEOUT = 600      # openshift/api apps/v1 DefaultRollingTimeoutSeconds
DEFAULT_PROGRESS_DEADLINE = 600      # apps/v1 SetDefaults_Deployment (extensions/v1beta1: none)
_DC_TYPES = {"Rolling": "RollingUpdate", "Recreate": "Recreate", "Custom": "Custom"}


def _int_or_percent(value: Any, default: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, int) or (isinstance(value, str) and value.strip()):
        return value
    return default


def _plain_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_strategy(workload: "Workload") -> Strategy | None:
    kind = workload.kind
    defaults = _STRATEGY_DEFAULTS.get((kind, workload.api_version)) or _STRATEGY_DEFAULTS.get((kind, None))
    if defaults is None:
        return None
    default_type, surge, unavailable = defaults
    spec = workload.obj.get("spec") if isinstance(workload.obj, dict) else None
    spec = spec if isinstance(spec, dict) else {}
    key = "strategy" if kind in ("Deployment", "DeploymentConfig") else "updateStrategy"
    raw = spec.get(key) if isinstance(spec.get(key), dict) else {}
    where = key_position(spec, key, workload.path, workload.location) if key in spec else workload.location
    declared = raw.get("type") if isinstance(raw.get("type"), str) else None
    timeout = progress = None
    min_ready = _plain_int(spec.get("minReadySeconds")) or 0
    if kind == "DeploymentConfig":
        kind_type = _DC_TYPES.get(declared or "Rolling", declared or "Rolling")
        params = raw.get("recreateParams" if kind_type == "Recreate" else "rollingParams")
        params = params if isinstance(params, dict) else {}
        timeout = _plain_int(params.get("timeoutSeconds")) or DEPLOYMENT_CONFIG_TIMEOUT
        if kind_type != "RollingUpdate":
            surge = unavailable = None
        else:
            surge = _int_or_percent(params.get("maxSurge"), surge)
            unavailable = _int_or_percent(params.get("maxUnavailable"), unavailable)
        return Strategy(kind_type, declared, surge, unavailable, timeout, None, min_ready, where)
    kind_type = declared or default_type
    rolling = raw.get("rollingUpdate") if isinstance(raw.get("rollingUpdate"), dict) else {}
    if kind_type == "RollingUpdate":
        surge = _int_or_percent(rolling.get("maxSurge"), surge)
        unavailable = _int_or_percent(rolling.get("maxUnavailable"), unavailable)
    else:
        surge = unavailable = None
    if kind == "Deployment":
        progress = _plain_int(spec.get("progressDeadlineSeconds"))
        if progress is None and workload.api_version != "extensions/v1beta1":
            progress = DEFAULT_PROGRESS_DEADLINE
    return Strategy(kind_type, declared, surge, unavailable, None, progress, min_ready, where)


def extract_workload(document: Document) -> Workload | None:
    """The workload a document carries, None for other documents.

    Raises ModelError when a pod-carrying kind has a non-mapping where the pod
    template should be (`spec: foo`). A missing template is not an error here:
    the schema rule (PL003) reports required fields.
    """
    identity = object_identity(document.data)
    if identity is None:
        return None
    api_version, kind, name, namespace = identity
    template_path = TEMPLATE_PATHS.get(kind)
    if template_path is None:
        return None
    if kind == "DeploymentConfig" and api_version not in OPENSHIFT_API_VERSIONS:
        return None
    data = document.data
    here = position(data, document.path, Location(document.path, document.line, document.column))
    node = data
    for depth, key in enumerate(template_path):
        child = node.get(key)
        if child is None:
            return None
        if not isinstance(child, dict):
            where = value_position(node, key, document.path, here)
            dotted = ".".join(template_path[: depth + 1])
            raise ModelError(where, f"{kind} {dotted} is {_type_name(child)}, not a mapping")
        node = child
    return Workload(kind, api_version, name, namespace, document, data, node,
                    ".".join(template_path), here)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class WorkloadFilter:
    """`--workload KIND/NAME` (kind case-insensitive) or a bare `NAME` (any kind),
    repeatable; remembers which filters matched so that the CLI can say which
    one matched nothing. Shared by `explain` and `graph`."""

    def __init__(self, texts=()):
        self.texts = [str(t) for t in texts or ()]
        self.filters = [self._parse(t) for t in self.texts]
        self.matched = [False] * len(self.filters)

    @staticmethod
    def _parse(text: str) -> tuple[str | None, str]:
        if "/" in text:
            kind, name = text.split("/", 1)
            return kind.strip().lower() or None, name.strip()
        return None, text.strip()

    def selects(self, workload: Workload) -> bool:
        if not self.filters:
            return True
        hit = False
        for number, (kind, name) in enumerate(self.filters):
            if (kind is None or kind == workload.kind.lower()) and name == (workload.name or ""):
                self.matched[number] = True
                hit = True
        return hit

    def unmatched(self) -> list[str]:
        return [text for text, hit in zip(self.texts, self.matched) if not hit]
