"""What a pod or container is for, as far as its manifest tells.

Some advice is right in general and useless for a particular kind of object
(design.md 7, "noise"): a liveness probe demanded of `sleep infinity`, hostPath
on a kubeadm control-plane static Pod. Rules ask these questions here, through
podlint.api, so every rule draws the line in the same place.

- `placeholder_reason(container)`: the container runs no application: its
  process does nothing but wait (a pause image, `sleep`, `tail -f /dev/null`, an
  idle loop, a bare shell on stdin), or there is nothing to run at all (the empty
  `scratch` image that linter test fixtures use as a stand-in). Such a container
  cannot hang, has nothing to drain and never writes a crash message.
- `control_plane_static_pod(pod)`: a control-plane component run as a static
  Pod on the node (kubeadm's etcd, kube-apiserver, ...), which reads the node's
  certificates and state through hostPath by design.
- `live_object_reason(data)`: the object was read back from a cluster (`kubectl
  get -o yaml`, a controller's test data): it carries what only the API server
  writes. Nobody edits such a dump, so advice on it is noise; the engine drops a
  rule's info findings there (errors and warnings stay).
"""
from __future__ import annotations

import os
import re
import shlex
from typing import Any

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})
_DURATION = re.compile(r"^(\d+(\.\d+)?|\.\d+)[smhd]?$")
_FOREVER = frozenset({"inf", "infinity"})
# registry.k8s.io/pause:3.9, kubernetes/pause, gcr.io/google_containers/pause-amd64:3.1,
# gke.gcr.io/pause:3.8@sha256:...
_PAUSE_IMAGE = re.compile(r"(^|/)pause(-[a-z0-9]+)?([:@]|$)")
# Docker's reserved empty image: no files, no entrypoint; no registry serves it.
_SCRATCH_IMAGES = frozenset({"scratch", "scratch:latest", "docker.io/library/scratch",
                             "docker.io/library/scratch:latest"})
# Images whose default command is a shell (review seed 20261206, S077: checkov's
# busybox with `stdin: true` and no command is a `kubectl run -it` toolbox).
_SHELL_IMAGES = frozenset({"busybox", "alpine", "ubuntu", "debian", "bash", "centos", "fedora",
                           "rockylinux", "almalinux", "amazonlinux"})


def _image_name(image: str) -> str:
    """`docker.io/library/busybox:1.36@sha256:...` -> `busybox`."""
    name = image.split("@", 1)[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[0]


# Loop heads that always continue: `while true`, `while :`, `while [ 1 ]`, `until false`.
_FOREVER_LOOP = re.compile(r"^(while\s+(true|:|\[\s*(1|true)\s*\])|until\s+false)$")
# Statements that neither work nor wait, allowed around the waiting one. `echo`
# is not among them: `echo $(date) >> /mnt/out` is work.
_HARMLESS = frozenset({"trap", "true", ":", "done", "wait", "set"})
# The hello-world demo (`date; echo Hello from the Kubernetes cluster`, the
# CronJob of the Kubernetes docs): it prints and exits, and nothing it does can
# fail in a way a probe or a termination message would explain (review seed
# 20261205, S081). Written to a file (`echo 262144 > /proc/sys/vm/max_map_count`)
# it is work that can fail.
_PRINTS = frozenset({"echo", "printf"})


def _only_prints(words: list[str], text: str) -> bool:
    """`echo Hello`, `date`, `date +%s`, `hostname`: output and nothing else. Not a
    write into a file (`echo 262144 > /proc/sys/vm/max_map_count`), not a command
    substitution (`echo $(curl ...)`), not `date -s` or `hostname NAME`, which
    set the clock or the name."""
    if ">" in text or "$(" in text or "`" in text:
        return False
    program = os.path.basename(words[0])
    if program in _PRINTS:
        return True
    if program == "date":
        return all(word.startswith("+") for word in words[1:])
    return program == "hostname" and len(words) == 1

CONTROL_PLANE_COMPONENTS = frozenset({
    "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler",
    "cloud-controller-manager", "kube-proxy", "kubelet"})


def _words(container) -> list[str]:
    raw = container.raw if isinstance(container.raw, dict) else {}
    return [str(w) for key in ("command", "args") if isinstance(raw.get(key), list)
            for w in raw[key]]


def _idle_words(words: list[str]) -> str | None:
    """`sleep N|infinity`, `tail -f /dev/null`, `/pause`: the command itself waits."""
    if not words:
        return None
    program = os.path.basename(words[0])
    if program == "sleep" and len(words) >= 2 and all(
            _DURATION.match(w.lower()) or w.lower() in _FOREVER for w in words[1:]):
        return " ".join(["sleep"] + words[1:])
    if program == "tail" and words[1:] in (["-f", "/dev/null"], ["-F", "/dev/null"]):
        return "tail -f /dev/null"
    if program == "pause" and len(words) == 1:
        return "pause"
    return None


def _idle_script(script: str) -> str | None:
    """A shell script that only waits: `sleep infinity`, `exec tail -f /dev/null`,
    `trap : TERM; sleep infinity & wait`, `while true; do sleep 3600; done`; or
    only prints: `date; echo Hello`."""
    if len(script) > 2_000:
        return None
    waiting = printing = None
    for part in re.split(r"\|\||&&|[;&|\n]", script):      # a pipe's halves count alone
        text = part.strip()
        if not text or text.startswith("#"):
            continue
        if _FOREVER_LOOP.match(re.sub(r"\s+", " ", text)):
            continue
        try:
            words = shlex.split(text, comments=True)
        except ValueError:
            return None
        if words and words[0] in ("do", "exec"):
            words = words[1:]
        if not words:
            continue
        idle = _idle_words(words)
        if idle is not None:
            waiting = waiting or idle
        elif _only_prints(words, text):
            printing = printing or "only prints a message"
        elif words[0] not in _HARMLESS:
            return None         # the script does some work: not a placeholder
    return waiting or printing


def placeholder_reason(container) -> str | None:
    """Why the container's process only waits or only prints (`"sleep infinity"`,
    `"pause image"`, `"only prints a message"`, ...), or None when it may do work.

    Judged from `command` + `args` (a shell's `-c` script included) and, without
    a command, from a pause image; the `scratch` image, which cannot run
    anything, counts whatever its command. A placeholder cannot hang or crash in a way a
    probe or a termination message would explain, and has nothing to drain on
    shutdown; `sleep` as PID 1 even ignores SIGTERM, so it waits out the whole
    grace period.
    """
    image = (container.image or "").strip().lower()
    if image in _SCRATCH_IMAGES:
        return "scratch image"              # nothing to run, nothing to pull
    words = _words(container)
    raw = container.raw if isinstance(container.raw, dict) else {}
    if not words:
        if image and _PAUSE_IMAGE.search(image):
            return "pause image"
        if raw.get("stdin") is True and _image_name(image) in _SHELL_IMAGES:
            return "interactive shell"      # busybox with stdin: its default `sh` waits on it
        return None
    if os.path.basename(words[0]) == "env":
        words = words[1:]
        while words and "=" in words[0]:
            words = words[1:]
    idle = _idle_words(words)
    if idle is not None:
        return idle
    if not words or os.path.basename(words[0]) not in _SHELLS:
        return None
    flags = words[1:]
    for position, word in enumerate(flags):
        if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
            if position + 1 < len(flags):
                return _idle_script(flags[position + 1])
            return None
    if not flags and raw.get("stdin") is True:
        return "interactive shell"          # `kubectl run -it`-style toolbox
    return None


def is_placeholder(container) -> bool:
    return placeholder_reason(container) is not None


def control_plane_static_pod(pod) -> str | None:
    """The component name when `pod` is a control-plane component run as a
    static Pod (kubeadm's /etc/kubernetes/manifests), else None.

    Recognised as kubeadm writes them: a bare Pod in kube-system on the host
    network, labelled `tier: control-plane` or with a `component` / `k8s-app`
    label naming a control-plane component (etcd, kube-apiserver,
    kube-controller-manager, kube-scheduler, ...), or a mirror Pod
    (`kubernetes.io/config.source: file`). A Pod in kube-system with both kubeadm
    labels (`tier: control-plane` and a known `component`) counts even without
    `hostNetwork`: trimmed copies of kubeadm's manifests (checkov's examples)
    drop it, and nothing else is labelled that way.
    """
    if pod.kind != "Pod" or pod.namespace != "kube-system":
        return None
    raw: Any = pod.raw if isinstance(pod.raw, dict) else {}
    labels = pod.labels
    named = labels.get("component") or labels.get("k8s-app")
    if raw.get("hostNetwork") is not True:
        kubeadm = labels.get("tier") == "control-plane" and named in CONTROL_PLANE_COMPONENTS
        return named if kubeadm else None
    if labels.get("tier") == "control-plane":
        return named or "control-plane"
    if named in CONTROL_PLANE_COMPONENTS:
        return named
    if pod.annotations.get("kubernetes.io/config.source") == "file":
        return named or "static"
    return None


# Written by the API server only: an object carrying one was read back from a cluster.
_SERVER_METADATA = ("uid", "resourceVersion", "selfLink", "managedFields")


def live_object_reason(data: Any) -> str | None:
    """What shows that `data` is a live object dumped from a cluster, or None.

    The API server alone assigns `metadata.uid`, `resourceVersion`, `selfLink`
    and `managedFields`, and a non-empty `status` comes from the controllers
    (status is a subresource: `kubectl apply` never writes it). Empty or null
    ones do not count: `kubectl create --dry-run=client -o yaml` and kubeadm write
    `creationTimestamp: null` and `status: {}` into manifests people go on to
    edit.
    """
    if not isinstance(data, dict):
        return None
    metadata = data.get("metadata")
    if isinstance(metadata, dict):
        for key in _SERVER_METADATA:
            if metadata.get(key) not in (None, "", [], {}):
                return f"metadata.{key}"
    status = data.get("status")
    if isinstance(status, dict) and _filled(status):
        return "status"
    return None


def _filled(value: Any) -> bool:
    """Does a status hold anything? `status: {loadBalancer: {}}` (kubectl create
    --dry-run, kompose) is a scaffold, not what a controller wrote."""
    if isinstance(value, dict):
        return any(_filled(v) for v in value.values())
    if isinstance(value, list):
        return any(_filled(v) for v in value)
    return value not in (None, "")
