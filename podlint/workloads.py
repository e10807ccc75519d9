"""Documents to workloads: find the pod template inside every pod-carrying kind.

Any apiVersion is accepted (apps/v1beta1 Deployments are still linted; PL004
says they are no longer served). Documents of other kinds, and documents that
are not objects at all, are not workloads and produce nothing here.
"""
from __future__ import annotations

from dataclasses import dataclass
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
}
RUN_TO_COMPLETION_KINDS = frozenset({"Job", "CronJob"})


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
