"""What an image reference says about the image: no shell or coreutils in it
(distroless, scratch-based), or a process that never exits by itself (a proxy,
an agent, an idle command).

Only names whose contents are known from the images' own build files count;
anything else is "unknown" and gives no finding:

- `gcr.io/distroless/*` (and its mirrors) without a `debug` tag: no shell, no
  `sleep` (GoogleContainerTools/distroless README: "no package managers, shells
  or any other programs"); `:debug` images add busybox.
- `cgr.dev/chainguard/static`: the static base, no shell.
- a tag ending in `-distroless` (istio/proxyv2:1.22.0-distroless, ...).
- images built `FROM scratch` or a distroless base: CoreDNS (coredns/helm#43: the
  chart's preStop `sleep` failed), the Linkerd proxy (linkerd2#6723),
  kube-state-metrics, metrics-server, the sig-storage CSI sidecars.
"""
from __future__ import annotations

import os
import re
import shlex

_DISTROLESS_PATH = re.compile(r"(^|/)distroless/")
_SCRATCH_BASED = (
    # (pattern on the image name without tag, what it is)
    (re.compile(r"(^|/)coredns/coredns$"), "CoreDNS (built FROM scratch)"),
    (re.compile(r"(^|/)k8s-dns-node-cache$"), None),
    (re.compile(r"(^|/)linkerd/proxy$"), "the Linkerd proxy (distroless)"),
    (re.compile(r"(^|/)kube-state-metrics/kube-state-metrics$"), "kube-state-metrics (distroless)"),
    (re.compile(r"(^|/)metrics-server/metrics-server$"), "metrics-server (distroless)"),
    (re.compile(r"(^|/)sig-storage/(csi-[a-z-]+|livenessprobe)$"), "a sig-storage CSI sidecar (distroless)"),
    (re.compile(r"^cgr\.dev/chainguard/static$"), "Chainguard static (no shell)"),
)


def split_image(image: str) -> tuple[str, str]:
    """'gcr.io/distroless/static:nonroot@sha256:..' -> ('gcr.io/distroless/static', 'nonroot')."""
    ref = image.strip().lower().split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = ref.rsplit(":", 1)
        return name, tag
    return ref, ""


def shell_less(image: str | None) -> str | None:
    """Why the image has no shell and no coreutils (`sh`, `sleep`), or None when
    that is not known."""
    if not image or not image.strip():
        return None
    name, tag = split_image(image)
    if "debug" in tag or "dev" in tag.split("-"):
        return None
    if _DISTROLESS_PATH.search(name + "/"):
        return "a distroless image"
    if tag.endswith("-distroless") or tag == "distroless" or name.endswith("-distroless"):
        return "a distroless image"
    if name in ("scratch", "docker.io/library/scratch"):
        return "the empty scratch image"
    for pattern, what in _SCRATCH_BASED:
        if what and pattern.search(name):
            return what
    return None


# ----------------------------------------------------------------------------- never exits

_PROXY_IMAGES = (
    (re.compile(r"(^|/)istio/proxyv2$"), "the Istio proxy"),
    (re.compile(r"(^|/)envoyproxy/envoy(-[a-z]+)?$"), "Envoy"),
    (re.compile(r"(^|/)linkerd/proxy$"), "the Linkerd proxy"),
    (re.compile(r"(^|/)cloudsql-docker/gce-proxy$"), "the Cloud SQL proxy"),
    (re.compile(r"(^|/)cloud-sql-connectors/cloud-sql-proxy$"), "the Cloud SQL proxy"),
    (re.compile(r"(^|/)cloud-sql-proxy$"), "the Cloud SQL proxy"),
)
_PROXY_BINARIES = frozenset({"cloud_sql_proxy", "cloud-sql-proxy", "envoy", "pilot-agent"})
_FOREVER = frozenset({"inf", "infinity"})


def _idle(words: list[str]) -> str | None:
    if not words:
        return None
    program = os.path.basename(words[0])
    if program == "sleep" and len(words) == 2 and words[1].lower() in _FOREVER:
        return f"sleep {words[1]}"
    if program == "tail" and len(words) >= 3 and words[1] in ("-f", "-F") and words[2] == "/dev/null":
        return "tail -f /dev/null"
    return None


def _forever_loop(script: str) -> bool:
    flat = re.sub(r"\s+", " ", script.strip())
    return bool(re.match(r"^(while (true|:|\[ 1 \])|until false) ?; ?do .*; ?done;?$", flat)) \
        and "break" not in flat and "exit" not in flat and "return" not in flat


def never_exits(container) -> str | None:
    """Why the container's process never ends by itself, or None when it may.

    An image of a proxy (Istio, Envoy, Linkerd, the Cloud SQL proxy) run with
    its own entrypoint or its own binary, `sleep infinity`, `tail -f /dev/null`,
    and a shell whose whole script is an endless loop without break or exit."""
    raw = container.raw if isinstance(getattr(container, "raw", None), dict) else {}
    command = raw.get("command") if isinstance(raw.get("command"), list) else None
    args = raw.get("args") if isinstance(raw.get("args"), list) else []
    words = [str(w) for w in (command or []) + list(args)]
    name, _ = split_image(container.image or "")
    if command is None or (command and os.path.basename(str(command[0])) in _PROXY_BINARIES):
        for pattern, what in _PROXY_IMAGES:
            if pattern.search(name):
                return f"{what} ({container.image})"
    if command is None:
        return None
    idle = _idle(words)
    if idle:
        return f"`{idle}`"
    if words and os.path.basename(words[0]) in ("sh", "bash", "ash", "dash") and len(words) >= 3:
        for position, word in enumerate(words[1:], start=1):
            if word.startswith("-") and "c" in word[1:] and position + 1 < len(words):
                script = words[position + 1]
                try:
                    inner = shlex.split(script)
                except ValueError:
                    return None
                if inner and inner[0] == "exec":
                    inner = inner[1:]
                idle = _idle(inner)
                if idle:
                    return f"`{idle}`"
                if _forever_loop(script):
                    return "an endless shell loop"
                return None
    return None
