"""The service-mesh proxy a pod gets without its manifest showing it.

Istio and Linkerd inject a proxy container at admission. The manifest says so by
an annotation or label on the pod (a namespace label, `istio-injection=enabled`
or `linkerd.io/inject` on the Namespace, is invisible in a pod manifest: the
assumption `mesh=istio|linkerd` states it). This module reads those switches and
models the injected container from the meshes' own injection templates:

Istio (manifests/charts/istio-control/istio-discovery/files/injection-template.yaml,
pkg/kube/inject/webhook.go reorderPod, DetectNativeSidecar):
- `sidecar.istio.io/inject: "true"` as a label or annotation turns injection on,
  `"false"` off.
- Native sidecar (`istio-proxy` in initContainers with `restartPolicy: Always`,
  first after istio-init/istio-validation) when `sidecar.istio.io/nativeSidecar:
  "true"`; legacy (a regular container) when `"false"`. Otherwise Istio 1.27+
  (ENABLE_NATIVE_SIDECARS=auto, istio/istio#56428) injects a native sidecar when
  every node's kubelet is 1.33 or newer: the target `--kubernetes-version` and
  the assumption `mesh-version` decide; `mesh-mode=native|legacy` overrides.
- Legacy: the proxy is appended last, or moved first with a postStart
  `pilot-agent wait` when `holdApplicationUntilProxyStarts` is set in the
  `proxy.istio.io/config` annotation. Native: preStop `pilot-agent request POST
  drain`; the kubelet stops it after the app.
- Probes: startupProbe httpGet :15021/healthz/ready every 1 s (600 failures),
  readinessProbe the same path every 15 s, 4 failures.
- On SIGTERM a legacy proxy drains for `terminationDrainDuration` (default 5 s)
  and exits, or, with `EXIT_ON_ZERO_ACTIVE_CONNECTIONS=true` in proxyMetadata,
  when its connections reach zero.

Linkerd (pkg/k8s/labels.go, charts/partials/templates/proxy.tpl):
- `linkerd.io/inject: enabled` (or `ingress`) turns injection on, `disabled` off.
- Native sidecar with `config.linkerd.io/proxy-enable-native-sidecar: "true"`
  (alpha/beta prefixes too); legacy otherwise.
- `config.linkerd.io/proxy-await` (default enabled): the proxy is the first
  container and its postStart `linkerd-await` holds the app until it is ready.
- `config.alpha.linkerd.io/proxy-wait-before-exit-seconds: N`: a preStop
  `sleep N` on the proxy, which otherwise stops taking new connections at the
  stop signal, together with the app.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from podlint.finding import Location
from podlint.workloads import key_position, value_position

ISTIO_INJECT = "sidecar.istio.io/inject"
ISTIO_NATIVE = "sidecar.istio.io/nativeSidecar"
ISTIO_CONFIG = "proxy.istio.io/config"
LINKERD_INJECT = "linkerd.io/inject"
LINKERD_NATIVE = ("config.linkerd.io/proxy-enable-native-sidecar",
                  "config.beta.linkerd.io/proxy-enable-native-sidecar",
                  "config.alpha.linkerd.io/proxy-enable-native-sidecar")
LINKERD_AWAIT = "config.linkerd.io/proxy-await"
LINKERD_WAIT_BEFORE_EXIT = "config.alpha.linkerd.io/proxy-wait-before-exit-seconds"

ISTIO_NATIVE_DEFAULT_SINCE = (1, 27)      # Istio release with ENABLE_NATIVE_SIDECARS=auto
ISTIO_NATIVE_NODES_SINCE = (1, 33)        # auto needs every kubelet at 1.33+
SIDECARS_SINCE = (1, 29)                  # restartable init containers on by default
DEFAULT_DRAIN = 5                         # Istio terminationDrainDuration


@dataclass(frozen=True)
class Mesh:
    kind: str                   # "istio" | "linkerd"
    proxy: str                  # the injected container's name
    source: str                 # 'annotation sidecar.istio.io/inject: "true"' | "--assume mesh=istio"
    location: Location          # the switch in the manifest, or the pod's metadata
    native: bool
    mode_reason: str            # why native or legacy
    hold: bool                  # app held until the proxy is ready
    drain: float | None         # legacy Istio: seconds from its stop signal to exit (None: unknown)
    wait_before_exit: int       # Linkerd: preStop sleep of the proxy
    exit_on_zero: bool = False

    @property
    def mode(self) -> str:
        return "native" if self.native else "legacy"

    @property
    def native_hint(self) -> str:
        if self.kind == "istio":
            return (f'set the pod annotation {ISTIO_NATIVE}: "true" (Istio 1.19+, Kubernetes '
                    "1.29+): the proxy then runs as a native sidecar that the kubelet stops last")
        return (f'set the pod annotation {LINKERD_NATIVE[0]}: "true" (Linkerd 2.15+, Kubernetes '
                "1.29+): the proxy then runs as a native sidecar that the kubelet stops last")

    def describe(self) -> dict:
        return {"mesh": self.kind, "mode": self.mode, "why": self.mode_reason, "source": self.source}


def _switch(metadata: Any, key: str) -> tuple[str | None, str | None]:
    """(value, "label"|"annotation") of a pod switch; labels win as in Istio."""
    if not isinstance(metadata, dict):
        return None, None
    for field in ("labels", "annotations"):
        values = metadata.get(field)
        if isinstance(values, dict) and key in values and values[key] is not None:
            return str(values[key]).strip().lower(), field[:-1]
    return None, None


def _where(metadata: Any, field: str | None, key: str, path: str, default: Location) -> Location:
    if not isinstance(metadata, dict) or field is None:
        return default
    values = metadata.get(field + "s")
    if not isinstance(values, dict):
        return default
    return key_position(values, key, path, default)


def _annotation(pod, key: str) -> str | None:
    value = pod.annotations.get(key)
    return value.strip() if isinstance(value, str) else None


def _proxy_config(pod) -> dict:
    text = _annotation(pod, ISTIO_CONFIG)
    if not text:
        return {}
    try:
        from ruamel.yaml import YAML
        data = YAML(typ="safe").load(text)
    except Exception:
        return {}
    return data if isinstance(data, dict) else {}


def _duration(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = re.match(r"^\s*(\d+(?:\.\d+)?)(ms|s|m)?\s*$", str(value or ""))
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number * (60 if match.group(2) == "m" else 1)


def _version(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def detect(pod, assumptions=None, kubernetes_version: tuple[int, int] = (1, 35)) -> Mesh | None:
    """The mesh that injects a proxy into `pod`, or None. Never raises."""
    try:
        return _detect(pod, assumptions, kubernetes_version)
    except Exception:
        return None


def _word(assumptions, key: str) -> str | None:
    try:
        return assumptions.word(key) if assumptions is not None else None
    except Exception:
        return None


def _detect(pod, assumptions, version) -> Mesh | None:
    metadata = pod.metadata if isinstance(pod.metadata, dict) else {}
    path = pod.location.path
    default = pod.workload.location
    istio, istio_field = _switch(metadata, ISTIO_INJECT)
    linkerd, linkerd_field = _switch(metadata, LINKERD_INJECT)
    assumed = _word(assumptions, "mesh")
    kind = None
    if istio == "true":
        kind, source = "istio", f'{istio_field} {ISTIO_INJECT}: "true"'
        location = _where(metadata, istio_field, ISTIO_INJECT, path, default)
    elif linkerd in ("enabled", "ingress"):
        kind, source = "linkerd", f"{linkerd_field} {LINKERD_INJECT}: {linkerd}"
        location = _where(metadata, linkerd_field, LINKERD_INJECT, path, default)
    elif assumed in ("istio", "linkerd"):
        switch = istio if assumed == "istio" else linkerd
        if switch in ("false", "disabled"):
            return None
        try:
            where = assumptions.sources.get("mesh", "assumed")
        except Exception:
            where = "assumed"
        kind, source, location = assumed, f"the assumption mesh={assumed} ({where})", default
    if kind is None:
        return None
    mode = _word(assumptions, "mesh-mode")
    mesh_version = _version(_word(assumptions, "mesh-version"))
    if kind == "istio":
        return _istio(pod, source, location, mode, mesh_version, version)
    return _linkerd(pod, source, location, mode, version)


def _istio(pod, source, location, mode, mesh_version, version) -> Mesh:
    flag = (_annotation(pod, ISTIO_NATIVE) or "").lower()
    if flag in ("true", "false"):
        native, why = flag == "true", f'{ISTIO_NATIVE}: "{flag}"'
    elif mode:
        native, why = mode == "native", f"--assume mesh-mode={mode}"
    elif mesh_version is not None and mesh_version < ISTIO_NATIVE_DEFAULT_SINCE:
        native, why = False, f"Istio {mesh_version[0]}.{mesh_version[1]} injects a regular container"
    elif version < ISTIO_NATIVE_NODES_SINCE:
        native, why = False, (f"Istio injects a native sidecar only on nodes of Kubernetes 1.33+, "
                              f"and the target is {version[0]}.{version[1]}")
    else:
        native, why = True, ("Istio 1.27+ injects a native sidecar on Kubernetes 1.33+ nodes "
                             "(state --assume mesh-version=1.26 or mesh-mode=legacy otherwise)")
    if native and version < SIDECARS_SINCE:
        native, why = False, f"native sidecars need Kubernetes 1.29+ ({why})"
    config = _proxy_config(pod)
    hold = bool(config.get("holdApplicationUntilProxyStarts")) and not native
    drain = _duration(config.get("terminationDrainDuration", DEFAULT_DRAIN))
    metadata = config.get("proxyMetadata") if isinstance(config.get("proxyMetadata"), dict) else {}
    exit_on_zero = str(metadata.get("EXIT_ON_ZERO_ACTIVE_CONNECTIONS", "")).lower() == "true"
    return Mesh("istio", "istio-proxy", source, location, native, why, hold,
                None if exit_on_zero else (drain if drain is not None else DEFAULT_DRAIN), 0,
                exit_on_zero)


def _linkerd(pod, source, location, mode, version) -> Mesh:
    flag = next(((_annotation(pod, key) or "").lower() for key in LINKERD_NATIVE
                 if _annotation(pod, key)), "")
    if flag in ("true", "false"):
        native, why = flag == "true", f'proxy-enable-native-sidecar: "{flag}"'
    elif mode:
        native, why = mode == "native", f"--assume mesh-mode={mode}"
    else:
        native, why = False, "Linkerd injects a regular container unless proxy-enable-native-sidecar is set"
    if native and version < SIDECARS_SINCE:
        native, why = False, f"native sidecars need Kubernetes 1.29+ ({why})"
    await_ = (_annotation(pod, LINKERD_AWAIT) or "enabled").lower() != "disabled"
    try:
        wait = max(0, int(_annotation(pod, LINKERD_WAIT_BEFORE_EXIT) or 0))
    except ValueError:
        wait = 0
    return Mesh("linkerd", "linkerd-proxy", source, location, native, why,
                await_ and not native, None, wait)


# ----------------------------------------------------------------------------- the implied container

def _istio_raw(mesh: Mesh) -> dict:
    raw: dict = {
        "name": "istio-proxy", "image": "docker.io/istio/proxyv2",
        "args": ["proxy", "sidecar"],
        "ports": [{"containerPort": 15090, "name": "http-envoy-prom"}],
        "startupProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021},
                         "initialDelaySeconds": 0, "periodSeconds": 1, "timeoutSeconds": 3,
                         "failureThreshold": 600},
        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021},
                           "initialDelaySeconds": 0, "periodSeconds": 15, "timeoutSeconds": 3,
                           "failureThreshold": 4},
    }
    if mesh.native:
        raw["restartPolicy"] = "Always"
        raw["lifecycle"] = {"preStop": {"exec": {"command": [
            "pilot-agent", "request", "--debug-port=15020", "POST", "drain"]}}}
    elif mesh.hold:
        raw["lifecycle"] = {"postStart": {"exec": {"command": ["pilot-agent", "wait"]}}}
    return raw


def _linkerd_raw(mesh: Mesh) -> dict:
    raw: dict = {
        "name": "linkerd-proxy", "image": "cr.l5d.io/linkerd/proxy",
        "ports": [{"containerPort": 4143, "name": "linkerd-proxy"},
                  {"containerPort": 4191, "name": "linkerd-admin"}],
        "readinessProbe": {"httpGet": {"path": "/ready", "port": 4191}, "initialDelaySeconds": 2},
        "livenessProbe": {"httpGet": {"path": "/live", "port": 4191}, "initialDelaySeconds": 10},
    }
    lifecycle: dict = {}
    if mesh.native:
        raw["restartPolicy"] = "Always"
        raw["startupProbe"] = {"httpGet": {"path": "/ready", "port": 4191}}
    elif mesh.hold:
        lifecycle["postStart"] = {"exec": {"command": ["/usr/lib/linkerd/linkerd-await",
                                                      "--timeout=2m"]}}
    if mesh.wait_before_exit:
        lifecycle["preStop"] = {"exec": {"command": ["/bin/sleep", str(mesh.wait_before_exit)]}}
    if lifecycle:
        raw["lifecycle"] = lifecycle
    return raw


def implied_proxy(pod, mesh: Mesh):
    """The injected proxy as a model Container marked `implied`, located at the
    switch that asks for it."""
    from podlint.model import _container

    raw = _istio_raw(mesh) if mesh.kind == "istio" else _linkerd_raw(mesh)
    list_key = "initContainers" if mesh.native else "containers"
    container = _container(raw, 0, list_key, {list_key: [raw]}, pod.location.path, "implied")
    return replace(container, location=mesh.location, implied=True)


def with_proxy(pod, mesh: Mesh | None):
    """`pod` with the injected proxy where the mesh puts it, or `pod` itself.

    Native: first among the init containers (istio-init and istio-validation,
    which run before it, are not modelled). Legacy: Istio appends it unless it
    holds the app (then first); Linkerd puts it first when it awaits it."""
    if mesh is None or pod.container(mesh.proxy) is not None:
        return pod
    proxy = implied_proxy(pod, mesh)
    if mesh.native:
        return replace(pod, init_containers=(proxy,) + pod.init_containers)
    if mesh.hold:
        return replace(pod, containers=(proxy,) + pod.containers)
    return replace(pod, containers=pod.containers + (replace(proxy, index=len(pod.containers)),))


def mesh_of(ctx) -> Mesh | None:
    """The mesh of a rule's pod (its assumptions and target version)."""
    if ctx.pod is None:
        return None
    return detect(ctx.pod, ctx.assumptions, ctx.kubernetes_version)
