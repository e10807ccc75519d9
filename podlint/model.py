"""A typed, read-only view of a pod with Kubernetes defaults applied.

Rules and the timeline read this instead of the raw YAML, so defaulting
(lifecycle-semantics.md 1.5, 2.1, 3.1) lives in one place. Every object keeps
its raw mapping and its Location; `where("field")` gives the position of a
field, falling back to the object when the field is absent, so a finding can
always point somewhere sensible.

Scalar fields of the wrong type fall back to their default (the schema rule
reports them); only a wrong type that makes the structure unreadable (a list
that is not a list, a container that is not a mapping) raises ModelError,
reported as PL002.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from podlint.finding import Location
from podlint.workloads import (RUN_TO_COMPLETION_KINDS, ModelError, Workload, _type_name,
                               item_position, key_position, position, value_position)

DEFAULT_GRACE_SECONDS = 30
DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log"
MAX_INT = 2**63 - 1

PROBE_DEFAULTS = {"initialDelaySeconds": 0, "periodSeconds": 10, "timeoutSeconds": 1,
                  "successThreshold": 1, "failureThreshold": 3}
HANDLER_KEYS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")

# Volume types whose data lives only as long as the pod (PL101 cares about these).
POD_SCOPED_VOLUME_TYPES = frozenset({"emptyDir", "ephemeral"})
READ_ONLY_VOLUME_TYPES = frozenset({"configMap", "secret", "downwardAPI", "projected"})


class Located:
    """Mixin: `raw` mapping + `location`; `where()` finds a field's position."""
    raw: Any
    location: Location

    def where(self, *keys: str, value: bool = False) -> Location:
        """Position of the key at the end of `keys` (or of its value), else the
        deepest existing ancestor, else this object."""
        node, found = self.raw, self.location
        for number, key in enumerate(keys):
            if not isinstance(node, dict) or key not in node:
                return found
            last = number == len(keys) - 1
            found = (value_position if (value and last) else key_position)(
                node, key, self.location.path, found)
            node = node[key]
        return found

    def has(self, key: str) -> bool:
        return isinstance(self.raw, dict) and key in self.raw


def as_int(value: Any, default: int | None = None) -> int | None:
    """An integer field as the API server would read it; anything else -> default."""
    if isinstance(value, bool) or not isinstance(value, int):
        return default
    if value < -MAX_INT or value > MAX_INT:
        return default
    return int(value)


def as_str(value: Any, default: str | None = None) -> str | None:
    return value if isinstance(value, str) else default


def _seq(mapping: Any, key: str, path: str, owner: Location, what: str) -> list:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if value is None:
        return []
    if not isinstance(value, list):
        raise ModelError(value_position(mapping, key, path, owner),
                         f"{what}.{key} is {_type_name(value)}, not a list")
    return value


def _map(mapping: Any, key: str, path: str, owner: Location, what: str) -> dict | None:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ModelError(value_position(mapping, key, path, owner),
                         f"{what}.{key} is {_type_name(value)}, not a mapping")
    return value


# ----------------------------------------------------------------------------- parts

@dataclass(frozen=True, eq=False)
class Port(Located):
    name: str | None
    number: int | None
    protocol: str
    location: Location
    raw: Any


@dataclass(frozen=True, eq=False)
class Handler(Located):
    """A probe or lifecycle handler: exactly one action of exec/httpGet/tcpSocket/grpc/sleep."""
    action: str | None                  # None when no known action is set
    command: tuple[str, ...] | None     # exec; elements that are not strings are str()-ed
    port: int | str | None              # httpGet/tcpSocket/grpc
    path: str | None                    # httpGet (default "/")
    scheme: str | None                  # httpGet (default "HTTP")
    host: str | None
    headers: tuple[tuple[str, str], ...]
    service: str | None                 # grpc
    sleep_seconds: int | None           # sleep action
    location: Location                  # the handler's mapping (probe or hook)
    raw: Any                            # the action's own mapping (e.g. the httpGet body)
    owner: Any = None                   # the probe or hook mapping

    @property
    def port_location(self) -> Location:
        return self.where("port", value=True)


@dataclass(frozen=True, eq=False)
class Probe(Located):
    kind: str                           # "liveness" | "readiness" | "startup"
    handler: Handler
    initial_delay: int
    period: int
    timeout: int
    success_threshold: int
    failure_threshold: int
    termination_grace: int | None       # probe-level terminationGracePeriodSeconds
    location: Location                  # the probe's key (livenessProbe:)
    raw: Any

    @property
    def field_name(self) -> str:
        return f"{self.kind}Probe"

    @property
    def failure_window(self) -> int:
        """period x failureThreshold: how long a check may fail before the kubelet acts."""
        return self.period * self.failure_threshold


@dataclass(frozen=True, eq=False)
class Hook(Located):
    kind: str                           # "postStart" | "preStop"
    handler: Handler
    location: Location                  # the hook's key (preStop:)
    raw: Any


@dataclass(frozen=True, eq=False)
class VolumeMount(Located):
    name: str | None
    mount_path: str | None
    read_only: bool
    sub_path: str | None
    device: bool                        # a volumeDevices entry
    location: Location
    raw: Any


@dataclass(frozen=True, eq=False)
class Reference:
    """An external object a pod needs: kind, name, where it is referenced."""
    kind: str                           # ConfigMap | Secret | PersistentVolumeClaim | ServiceAccount
    name: str
    location: Location
    optional: bool = False
    via: str = ""                       # "volume cache", "env FOO", "envFrom", "imagePullSecrets"
    name_location: Location | None = None   # the value that names the object (where PL507 points)


@dataclass(frozen=True, eq=False)
class Container(Located):
    name: str
    role: str                           # "init" | "sidecar" | "main"
    index: int                          # position within initContainers or containers
    image: str | None
    image_pull_policy: str
    ports: tuple[Port, ...]
    liveness_probe: Probe | None
    readiness_probe: Probe | None
    startup_probe: Probe | None
    post_start: Hook | None
    pre_stop: Hook | None
    volume_mounts: tuple[VolumeMount, ...]
    termination_message_path: str
    termination_message_policy: str
    restart_policy: str | None          # container-level (sidecars: "Always")
    references: tuple[Reference, ...]
    location: Location                  # the list item (- name: ...)
    raw: Any
    in_whole: bool = False              # the object is marked whole (Workload.is_whole)
    implied: bool = False               # not in the manifest: injected at admission (podlint.mesh)

    @property
    def is_init(self) -> bool:
        return self.role == "init"

    @property
    def is_sidecar(self) -> bool:
        return self.role == "sidecar"

    @property
    def is_main(self) -> bool:
        return self.role == "main"

    @property
    def is_patch_fragment(self) -> bool:
        """No image, in an object not marked whole (Workload.is_whole): a
        strategic-merge patch (Kustomize `patches:`) whose base sets the rest, so
        rules about what is missing stay quiet. In a whole object an image-less
        container is a mistake the API rejects (PL012), not a fragment."""
        return not self.in_whole and not (self.image or "").strip()

    @property
    def runs_alongside(self) -> bool:
        """Main containers and sidecars run for the pod's life; init containers do not."""
        return self.role != "init"

    @property
    def probes(self) -> tuple[Probe, ...]:
        return tuple(p for p in (self.startup_probe, self.liveness_probe, self.readiness_probe) if p)

    @property
    def hooks(self) -> tuple[Hook, ...]:
        return tuple(h for h in (self.post_start, self.pre_stop) if h)

    @property
    def name_location(self) -> Location:
        return self.where("name", value=True)

    def port_by_name(self, name: str) -> Port | None:
        for port in self.ports:
            if port.name == name:
                return port
        return None

    def resolve_port(self, port: int | str | None) -> int | None:
        """A probe or hook port as the kubelet resolves it: numbers as is, names
        among this container's own ports only (lifecycle-semantics.md 2.3)."""
        if isinstance(port, int):
            return port
        if isinstance(port, str):
            if port.isdigit():
                return int(port)
            named = self.port_by_name(port)
            return named.number if named else None
        return None


@dataclass(frozen=True, eq=False)
class Volume(Located):
    name: str | None
    type: str | None                    # "emptyDir", "configMap", "hostPath", ... None if unknown
    source: Any                         # the type's mapping
    references: tuple[Reference, ...]
    location: Location
    raw: Any

    @property
    def pod_scoped(self) -> bool:
        return self.type in POD_SCOPED_VOLUME_TYPES


@dataclass(frozen=True, eq=False)
class Pod(Located):
    workload: Workload
    kind: str                           # the workload kind
    init_containers: tuple[Container, ...]     # regular init containers and sidecars, spec order
    containers: tuple[Container, ...]          # main containers, spec order
    volumes: tuple[Volume, ...]
    restart_policy: str
    termination_grace: int
    grace_explicit: bool
    labels: dict[str, str]
    annotations: dict[str, str]
    service_account: str | None
    references: tuple[Reference, ...]          # pod-level: serviceAccount, imagePullSecrets
    location: Location                         # the pod spec
    raw: Any                                   # the pod spec mapping
    metadata: Any = None

    @property
    def sidecars(self) -> tuple[Container, ...]:
        return tuple(c for c in self.init_containers if c.role == "sidecar")

    @property
    def regular_init_containers(self) -> tuple[Container, ...]:
        return tuple(c for c in self.init_containers if c.role == "init")

    @property
    def all_containers(self) -> tuple[Container, ...]:
        return self.init_containers + self.containers

    @property
    def long_running(self) -> bool:
        """Runs until deleted: not a Job/CronJob, and restartPolicy Always."""
        return self.kind not in RUN_TO_COMPLETION_KINDS and self.restart_policy == "Always"

    @property
    def namespace(self) -> str | None:
        return self.workload.namespace

    @property
    def ephemeral_mounts(self) -> frozenset[str]:
        """Volume names that `ephemeralContainers` (kubectl debug) mount: they count
        as use, though those containers are not part of the lifecycle model."""
        items = self.raw.get("ephemeralContainers") if isinstance(self.raw, dict) else None
        names = set()
        for item in items if isinstance(items, list) else ():
            mounts = item.get("volumeMounts") if isinstance(item, dict) else None
            for mount in mounts if isinstance(mounts, list) else ():
                if isinstance(mount, dict) and isinstance(mount.get("name"), str):
                    names.add(mount["name"])
        return frozenset(names)

    @property
    def claim_templates(self) -> frozenset[str]:
        """Names of a StatefulSet's volumeClaimTemplates: the controller creates
        a claim per replica and puts it in place of the pod volume of that name."""
        obj = self.workload.obj
        spec = obj.get("spec") if self.kind == "StatefulSet" and isinstance(obj, dict) else None
        templates = spec.get("volumeClaimTemplates") if isinstance(spec, dict) else None
        names = set()
        for template in templates if isinstance(templates, list) else ():
            metadata = template.get("metadata") if isinstance(template, dict) else None
            name = metadata.get("name") if isinstance(metadata, dict) else None
            if isinstance(name, str) and name:
                names.add(name)
        return frozenset(names)

    def volume(self, name: str | None) -> Volume | None:
        for volume in self.volumes:
            if volume.name == name:
                return volume
        return None

    def container(self, name: str) -> Container | None:
        for container in self.all_containers:
            if container.name == name:
                return container
        return None


# ----------------------------------------------------------------------------- building

def build_pod(workload: Workload) -> Pod | None:
    """The Pod view of a workload's template, or None when it has no spec."""
    path = workload.path
    template = workload.template
    spec = template.get("spec")
    if spec is None:
        return None
    what = f"{workload.template_path}.spec" if workload.template_path else "spec"
    spec_loc = position(spec, path, workload.location)
    if not isinstance(spec, dict):
        raise ModelError(value_position(template, "spec", path, workload.location),
                         f"{what} is {_type_name(spec)}, not a mapping")
    metadata = template.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        metadata = None
    default_restart = "Never" if workload.kind in RUN_TO_COMPLETION_KINDS else "Always"
    restart_policy = as_str(spec.get("restartPolicy"), default_restart)
    grace = as_int(spec.get("terminationGracePeriodSeconds"))
    grace_explicit = grace is not None and grace >= 0
    if not grace_explicit:
        grace = DEFAULT_GRACE_SECONDS

    in_whole = workload.is_whole
    init = tuple(_container(item, index, "initContainers", spec, path, what, in_whole)
                 for index, item in enumerate(_seq(spec, "initContainers", path, spec_loc, what)))
    main = tuple(_container(item, index, "containers", spec, path, what, in_whole)
                 for index, item in enumerate(_seq(spec, "containers", path, spec_loc, what)))
    volumes = tuple(_volume(item, index, spec, path, what)
                    for index, item in enumerate(_seq(spec, "volumes", path, spec_loc, what)))
    service_account = as_str(spec.get("serviceAccountName")) or as_str(spec.get("serviceAccount"))
    references = []
    if service_account and service_account != "default":
        key = "serviceAccountName" if "serviceAccountName" in spec else "serviceAccount"
        references.append(Reference("ServiceAccount", service_account,
                                    value_position(spec, key, path, spec_loc), via=key))
    pull_secrets = _seq(spec, "imagePullSecrets", path, spec_loc, what)
    for index, item in enumerate(pull_secrets):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            entry_loc = item_position(pull_secrets, index, path, spec_loc)
            references.append(Reference("Secret", item["name"], entry_loc, via="imagePullSecrets",
                                        name_location=value_position(item, "name", path,
                                                                     entry_loc)))
    return Pod(workload, workload.kind, init, main, volumes, restart_policy, grace, grace_explicit,
               _string_map(metadata, "labels"), _string_map(metadata, "annotations"),
               service_account, tuple(references), spec_loc, spec, metadata)


def _string_map(metadata: Any, key: str) -> dict[str, str]:
    value = metadata.get(key) if isinstance(metadata, dict) else None
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(k, str) and v is not None}


def _container(item: Any, index: int, list_key: str, spec: Any, path: str, what: str,
               in_whole: bool = False) -> Container:
    seq = spec[list_key]
    here = item_position(seq, index, path, position(seq, path))
    where = f"{what}.{list_key}[{index}]"
    if not isinstance(item, dict):
        raise ModelError(here, f"{where} is {_type_name(item)}, not a mapping")
    raw_name = item.get("name")
    name = raw_name if isinstance(raw_name, str) else (
        str(raw_name) if raw_name is not None else f"<{list_key}[{index}]>")
    restart_policy = as_str(item.get("restartPolicy"))
    if list_key == "initContainers":
        role = "sidecar" if restart_policy == "Always" else "init"
    else:
        role = "main"
    image = as_str(item.get("image"))
    policy = as_str(item.get("imagePullPolicy")) or _default_pull_policy(image)

    ports = []
    raw_ports = _seq(item, "ports", path, here, where)
    for number, port in enumerate(raw_ports):
        loc = item_position(raw_ports, number, path, here)
        if not isinstance(port, dict):
            raise ModelError(loc, f"{where}.ports[{number}] is {_type_name(port)}, not a mapping")
        ports.append(Port(as_str(port.get("name")), as_int(port.get("containerPort")),
                          as_str(port.get("protocol"), "TCP"), loc, port))

    probes = {}
    for kind in ("liveness", "readiness", "startup"):
        key = f"{kind}Probe"
        raw = _map(item, key, path, here, where)
        if raw is not None:
            probes[kind] = _probe(kind, raw, key_position(item, key, path, here), path)

    hooks = {}
    lifecycle = _map(item, "lifecycle", path, here, where)
    if lifecycle is not None:
        for kind in ("postStart", "preStop"):
            raw = _map(lifecycle, kind, path, here, f"{where}.lifecycle")
            if raw is not None:
                loc = key_position(lifecycle, kind, path, here)
                hooks[kind] = Hook(kind, _handler(raw, loc, path), loc, raw)

    mounts = []
    for key, device in (("volumeMounts", False), ("volumeDevices", True)):
        raw_mounts = _seq(item, key, path, here, where)
        for number, mount in enumerate(raw_mounts):
            loc = item_position(raw_mounts, number, path, here)
            if not isinstance(mount, dict):
                raise ModelError(loc, f"{where}.{key}[{number}] is {_type_name(mount)}, not a mapping")
            target = mount.get("devicePath" if device else "mountPath")
            mounts.append(VolumeMount(as_str(mount.get("name")), as_str(target),
                                      mount.get("readOnly") is True, as_str(mount.get("subPath")),
                                      device, loc, mount))

    return Container(
        name=name, role=role, index=index, image=image, image_pull_policy=policy,
        ports=tuple(ports), liveness_probe=probes.get("liveness"),
        readiness_probe=probes.get("readiness"), startup_probe=probes.get("startup"),
        post_start=hooks.get("postStart"), pre_stop=hooks.get("preStop"),
        volume_mounts=tuple(mounts),
        termination_message_path=as_str(item.get("terminationMessagePath")) or DEFAULT_TERMINATION_MESSAGE_PATH,
        termination_message_policy=as_str(item.get("terminationMessagePolicy")) or "File",
        restart_policy=restart_policy, references=tuple(_env_references(item, path, here, where)),
        location=here, raw=item, in_whole=in_whole)


_DIGEST = re.compile(r"@sha256:[0-9a-f]+$")


def _default_pull_policy(image: str | None) -> str:
    """Always for `:latest` or an untagged image, IfNotPresent otherwise (K11)."""
    if not image:
        return "IfNotPresent"
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def _probe(kind: str, raw: Any, loc: Location, path: str) -> Probe:
    values = {}
    for key, default in PROBE_DEFAULTS.items():
        value = as_int(raw.get(key))
        # An explicit 0 is defaulted like an absent field (lifecycle-semantics 2.1);
        # negative values are rejected by the API (PL208 reports them).
        if value is None or value < 0:
            value = default
        elif value == 0 and key != "initialDelaySeconds":
            value = default
        values[key] = value
    grace = as_int(raw.get("terminationGracePeriodSeconds"))
    return Probe(kind, _handler(raw, loc, path), values["initialDelaySeconds"],
                 values["periodSeconds"], values["timeoutSeconds"], values["successThreshold"],
                 values["failureThreshold"], grace, loc, raw)


def _handler(owner: Any, loc: Location, path: str) -> Handler:
    action = next((k for k in HANDLER_KEYS if k in owner), None)
    body = owner.get(action) if action else None
    if not isinstance(body, dict):
        body_loc = key_position(owner, action, path, loc) if action else loc
        return Handler(action, None, None, None, None, None, (), None, None, body_loc, {}, owner)
    body_loc = key_position(owner, action, path, loc)
    command = None
    if action == "exec":
        raw_command = body.get("command")
        if isinstance(raw_command, list):
            command = tuple("" if part is None else str(part) for part in raw_command)
    port = body.get("port")
    if isinstance(port, bool) or not isinstance(port, (int, str)):
        port = None
    headers = []
    raw_headers = body.get("httpHeaders")
    if isinstance(raw_headers, list):
        for header in raw_headers:
            if isinstance(header, dict):
                headers.append((str(header.get("name")), str(header.get("value"))))
    path_value = as_str(body.get("path"), "/") if action == "httpGet" else None
    scheme = as_str(body.get("scheme"), "HTTP") if action == "httpGet" else None
    sleep = as_int(body.get("seconds")) if action == "sleep" else None
    return Handler(action, command, port, path_value, scheme, as_str(body.get("host")),
                   tuple(headers), as_str(body.get("service")), sleep, body_loc, body, owner)


def _env_references(item: Any, path: str, here: Location, where: str) -> list[Reference]:
    out = []
    env = _seq(item, "env", path, here, where)
    for number, entry in enumerate(env):
        if not isinstance(entry, dict):
            continue
        source = entry.get("valueFrom")
        if not isinstance(source, dict):
            continue
        for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            ref = source.get(key)
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                entry_loc = item_position(env, number, path, here)
                out.append(Reference(kind, ref["name"], entry_loc, ref.get("optional") is True,
                                     f"env {entry.get('name')}",
                                     value_position(ref, "name", path, entry_loc)))
    env_from = _seq(item, "envFrom", path, here, where)
    for number, entry in enumerate(env_from):
        if not isinstance(entry, dict):
            continue
        for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = entry.get(key)
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                entry_loc = item_position(env_from, number, path, here)
                out.append(Reference(kind, ref["name"], entry_loc, ref.get("optional") is True,
                                     "envFrom", value_position(ref, "name", path, entry_loc)))
    return out


VOLUME_REFERENCES = {
    "configMap": ("ConfigMap", "name"),
    "secret": ("Secret", "secretName"),
    "persistentVolumeClaim": ("PersistentVolumeClaim", "claimName"),
}


def _volume(item: Any, index: int, spec: Any, path: str, what: str) -> Volume:
    seq = spec["volumes"]
    here = item_position(seq, index, path, position(seq, path))
    if not isinstance(item, dict):
        raise ModelError(here, f"{what}.volumes[{index}] is {_type_name(item)}, not a mapping")
    name = as_str(item.get("name"))
    kind = next((k for k in item if isinstance(k, str) and k != "name"), None)
    source = item.get(kind) if kind else None
    references = []
    if kind in VOLUME_REFERENCES and isinstance(source, dict):
        ref_kind, key = VOLUME_REFERENCES[kind]
        if isinstance(source.get(key), str):
            references.append(Reference(ref_kind, source[key], here, source.get("optional") is True,
                                        f"volume {name}", value_position(source, key, path, here)))
    if kind == "projected" and isinstance(source, dict) and isinstance(source.get("sources"), list):
        for entry in source["sources"]:
            if not isinstance(entry, dict):
                continue
            for key, ref_kind in (("configMap", "ConfigMap"), ("secret", "Secret")):
                ref = entry.get(key)
                if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                    references.append(Reference(ref_kind, ref["name"], here,
                                                ref.get("optional") is True, f"volume {name}",
                                                value_position(ref, "name", path, here)))
    if kind in PLUGIN_SECRET_REFS and isinstance(source, dict):
        # Volume plugins that need a Secret of the pod's namespace to mount (the
        # kubelet waits for it like for a secret volume).
        ref = source.get(PLUGIN_SECRET_REFS[kind])
        secret = ref if kind == "azureFile" else (ref.get("name") if isinstance(ref, dict) else None)
        if isinstance(secret, str) and secret:
            holder, key = (source, "secretName") if kind == "azureFile" else (ref, "name")
            references.append(Reference("Secret", secret, here, via=f"volume {name}",
                                        name_location=value_position(holder, key, path, here)))
    return Volume(name, kind, source, tuple(references), here, item)


# volume type -> the key of its Secret reference (a LocalObjectReference, or a
# plain name for azureFile).
PLUGIN_SECRET_REFS = {
    "csi": "nodePublishSecretRef", "cephfs": "secretRef", "rbd": "secretRef",
    "iscsi": "secretRef", "flexVolume": "secretRef", "scaleIO": "secretRef",
    "storageos": "secretRef", "azureFile": "secretName",
}


def model_document(document) -> tuple[Workload | None, Pod | None, "Finding | None"]:
    """A document's workload and pod, or the PL002 that stops the model.

    The one place that turns documents into pods for `lint`, `explain` and
    `graph`, so the three agree on what is a workload and what is unreadable.
    """
    from podlint.finding import Finding
    from podlint.workloads import extract_workload, object_identity

    workload = None
    try:
        workload = extract_workload(document)
        pod = build_pod(workload) if workload is not None else None
        return workload, pod, None
    except ModelError as exc:
        location, message = exc.location, exc.message
    except RecursionError:
        location = Location(document.path, document.line, document.column)
        message = "object nests too deeply to read"
    if workload is not None:
        ref = workload.ref
    else:
        identity = object_identity(document.data)
        ref = f"{identity[1]}/{identity[2] or '<unnamed>'}" if identity else None
    return workload, None, Finding(location, "PL002", "invalid-object", "error", message, ref, None,
                                   "fix the field's type; podlint cannot read this object")
