"""Application scope: which objects of a run may relate to each other.

A Service selects a pod, a kustomization generates the ConfigMap a pod reads,
a PodDisruptionBudget covers a workload: only inside one *application scope*
(design.md section 7). Two objects share a scope when

- they are in the same namespace (an explicit one, or both namespace-less), and
- they come from one stream (stdin), the same folder, or folders that a
  `kustomization.yaml` ties together (its `resources`, `bases`, `components`,
  patch files, and the objects its generators make).

A kustomization that sets `namespace:` puts everything it builds in that
namespace, so objects tied through it share a namespace whatever their own
metadata says.

Without this, linting a folder of unrelated apps relates a pod to any Service
anywhere in the run. Everything here is a pure function of small summaries:
workers record a `Place` per object and a `Kustomization` per kustomization
file; the run builds one `Scopes` once every file is in. Rules that relate
objects (PL201, PL301, PL507, PL508), the rollout model (PDBs, HPAs) and
`podlint diff` ask the same question: `Scopes.related(a, b)`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

STDIN = "<stdin>"
APP_FOLDER_FILES = 25       # Scopes.close: more manifests than this in one folder is a collection
KUSTOMIZATION_FILES = frozenset({"kustomization.yaml", "kustomization.yml", "Kustomization"})
KUSTOMIZE_GROUP = "kustomize.config.k8s.io/"
# Keys of a kustomization whose entries are paths of files or folders it builds from.
PATH_LISTS = ("resources", "bases", "components", "patchesStrategicMerge")
GENERATORS = (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret"))


@dataclass(frozen=True, order=True)
class Place:
    """Where an object lives, as far as relating it to others goes."""
    path: str                   # the display path of its file, or "<stdin>"
    namespace: str | None       # metadata.namespace as written (None: none)
    line: int = 0               # its first line, to name it in a message

    @property
    def folder(self) -> str:
        return STDIN if self.path == STDIN else folder_of(self.path)

    def describe(self, kind: str, name: str | None) -> str:
        """`Service "front" (a/service.yaml:3)`: how a message names a related object."""
        return f'{kind} "{name or "<unnamed>"}" ({self.path}:{self.line})'


def folder_of(path: str) -> str:
    return os.path.dirname(os.path.normpath(path)) if path != STDIN else STDIN


@dataclass(frozen=True)
class Generated:
    """An object a kustomization generator makes (configMapGenerator, secretGenerator)."""
    kind: str
    name: str
    namespace: str | None
    line: int


@dataclass(frozen=True)
class Kustomization:
    """What one kustomization file contributes to scope: the paths it builds
    from (files and folders, normalised relative to the run's display paths),
    the namespace it imposes, and the objects its generators make."""
    path: str
    namespace: str | None
    files: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    generated: tuple[Generated, ...] = ()

    @property
    def folder(self) -> str:
        return folder_of(self.path)

    def place(self, generated: Generated) -> Place:
        return Place(self.path, generated.namespace, generated.line)


def is_kustomization(path: str, data: Any) -> bool:
    """A kustomization file: named like one, or declaring the kustomize kind."""
    if path != STDIN and os.path.basename(path) in KUSTOMIZATION_FILES:
        return isinstance(data, dict)
    if not isinstance(data, dict):
        return False
    api_version = data.get("apiVersion")
    return (data.get("kind") in ("Kustomization", "Component") and isinstance(api_version, str)
            and api_version.startswith(KUSTOMIZE_GROUP))


def read_kustomization(path: str, data: Any) -> Kustomization | None:
    """The scope facts of a kustomization document, or None if it is not one.

    Remote resources (URLs, `github.com/...?ref=`) and inline patches tie
    nothing that the run can see and are left out.
    """
    if not is_kustomization(path, data):
        return None
    folder = folder_of(path)
    namespace = data.get("namespace") if isinstance(data.get("namespace"), str) else None
    files: list[str] = []
    folders: list[str] = []
    entries: list[Any] = []
    for key in PATH_LISTS:
        value = data.get(key)
        if isinstance(value, list):
            entries.extend(value)
    patches = data.get("patches")
    if isinstance(patches, list):
        entries.extend(p.get("path") for p in patches if isinstance(p, dict))
    for entry in entries:
        if not isinstance(entry, str) or not entry.strip() or _remote(entry) or "\n" in entry:
            continue
        target = os.path.normpath(os.path.join(folder, entry.strip()))
        if entry.strip().lower().endswith((".yaml", ".yml", ".json")):
            files.append(target)
        else:
            folders.append(target)
    generated = []
    for key, kind in GENERATORS:
        value = data.get(key)
        if not isinstance(value, list):
            continue
        for item in value:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            own = item.get("namespace") if isinstance(item.get("namespace"), str) else None
            generated.append(Generated(kind, item["name"], own or namespace, _line(item, "name")))
    return Kustomization(path, namespace, tuple(files), tuple(folders), tuple(generated))


def _remote(entry: str) -> bool:
    return "://" in entry or entry.startswith(("github.com/", "git@", "gitlab.com/")) or "?ref=" in entry


def name_line(data: Any, default: int) -> int:
    """The line of an object's metadata.name, where a message points a reader."""
    metadata = data.get("metadata") if isinstance(data, dict) else None
    if isinstance(metadata, dict) and "name" in metadata:
        line = _line(metadata, "name")
        if line:
            return line
    return default


def _line(mapping: Any, key: str) -> int:
    try:
        return mapping.lc.value(key)[0] + 1
    except Exception:
        line = getattr(getattr(mapping, "lc", None), "line", None)
        return line + 1 if isinstance(line, int) else 0


@dataclass
class Scopes:
    """The scope index of a whole run, built from every file's kustomizations.

    `keys(path)` are the groups a file belongs to: its folder (or the stdin
    stream), and every kustomization whose build reaches it, directly or through
    folders holding further kustomizations. A kustomization's own folder is part
    of its build: files beside it are its resources or patches, and this keeps a
    flattened layout (all files in one folder) working.
    """
    kustomizations: list[Kustomization] = field(default_factory=list)
    kinds: dict[str, frozenset[str]] = field(default_factory=dict)    # path -> kinds it holds
    workload_files: frozenset[str] = frozenset()                       # paths holding workloads
    _reach: dict[str, tuple[frozenset[str], frozenset[str]]] | None = field(default=None, repr=False)
    _keys: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict, repr=False)
    _namespaces: dict[str, str | None] = field(default_factory=dict, repr=False)
    _folder_files: dict[str, int] | None = field(default=None, repr=False)

    def sets_namespaces(self) -> bool:
        """Does a kustomization of the run set `namespace:`? Only then can objects
        written in different namespaces relate (`related`)."""
        return any(k.namespace for k in self.kustomizations)

    def _build(self) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        if self._reach is None:
            by_folder: dict[str, list[Kustomization]] = {}
            for k in self.kustomizations:
                by_folder.setdefault(k.folder, []).append(k)
                self._namespaces[k.path] = k.namespace
            self._reach = {}
            for k in self.kustomizations:
                files: set[str] = set()
                folders: set[str] = set()
                self._collect(k, by_folder, files, folders, set())
                self._reach[k.path] = (frozenset(files), frozenset(folders))
        return self._reach

    def _collect(self, k: Kustomization, by_folder, files: set, folders: set, seen: set) -> None:
        if k.path in seen:
            return
        seen.add(k.path)
        files.add(k.path)
        files.update(k.files)
        folders.add(k.folder)
        for folder in k.folders:
            folders.add(folder)
            for inner in by_folder.get(folder, ()):
                self._collect(inner, by_folder, files, folders, seen)

    def keys(self, path: str) -> frozenset[tuple[str, str]]:
        """The scope groups of a file: ("folder", f) or ("stream", "<stdin>"), and
        ("kustomization", path) for every kustomization whose build reaches it."""
        cached = self._keys.get(path)
        if cached is not None:
            return cached
        if path == STDIN:
            keys = frozenset({("stream", STDIN)})
        else:
            normalized = os.path.normpath(path)
            folder = os.path.dirname(normalized)
            found = {("folder", folder)}
            for k_path, (files, folders) in self._build().items():
                if normalized in files or folder in folders:
                    found.add(("kustomization", k_path))
            keys = frozenset(found)
        self._keys[path] = keys
        return keys

    def related(self, a: Place, b: Place, maybe: bool = False) -> bool:
        """Do two objects share an application scope?

        `maybe`: may they? A namespace-less object lands in whatever namespace it
        is applied to, so it may share any namespace. Relations that make a
        finding (a Service selects this pod) need the strict answer; those whose
        absence makes one (no ConfigMap of this name is defined) need `maybe`:
        both ways, podlint does not claim what it cannot know."""
        shared = self.keys(a.path) & self.keys(b.path)
        if not shared:
            return False
        if a.namespace == b.namespace or (maybe and (a.namespace is None or b.namespace is None)):
            return True
        self._build()
        return any(kind == "kustomization" and self._namespaces.get(path)
                   for kind, path in shared)

    def serves(self, workload: Place, other: Place, kind: str) -> bool:
        """May an object of `kind` at `other` (a Service, a PodDisruptionBudget)
        act on the workload at `workload`? Related strictly, and a file that
        bundles a workload with its own `kind` is a closed stream: its Service
        relates only to its own workloads, and its workloads only to its own
        Services. Folders of examples and test cases bundle each app in one
        file; a Service kept beside its Deployment in separate files still
        relates across them."""
        if not self.related(workload, other):
            return False
        if workload.path == other.path:
            return True
        return (kind not in self.kinds.get(workload.path, ())
                and other.path not in self.workload_files)

    def close(self, workload: Place, other: Place, kind: str) -> bool:
        """`serves`, and closer than a shared folder of many files: the same
        file, a kustomization that builds both, or a folder of at most
        APP_FOLDER_FILES manifests. A folder of dozens of manifests is a
        collection of examples or test cases (kube-linter's tests/checks, a
        flattened samples repository), not one application, and an autoscaler or
        disruption budget there that names a workload by a common name (`web`,
        `frontend`) is usually another example's."""
        if not self.serves(workload, other, kind):
            return False
        if workload.path == other.path:
            return True
        if self.folder_files(workload.folder) <= APP_FOLDER_FILES:
            return True
        # In a folder of many manifests only a kustomization that names both files
        # (or their own folders) ties them; its own folder alone does not.
        reach = self._build()
        for kind, k_path in self.keys(workload.path) & self.keys(other.path):
            if kind != "kustomization":
                continue
            files, folders = reach[k_path]
            own = folder_of(k_path)
            if all(os.path.normpath(p) in files or (folder_of(p) in folders and folder_of(p) != own)
                   for p in (workload.path, other.path)):
                return True
        return False

    def folder_files(self, folder: str) -> int:
        """How many linted files holding Kubernetes objects the folder has."""
        if self._folder_files is None:
            counts: dict[str, int] = {}
            for path in self.kinds:
                counts[folder_of(path)] = counts.get(folder_of(path), 0) + 1
            self._folder_files = counts
        return self._folder_files.get(folder, 0)

    def generated(self) -> list[tuple[Generated, Place]]:
        """Every generated object with its place (the kustomization's file)."""
        return [(g, k.place(g)) for k in self.kustomizations for g in k.generated]
