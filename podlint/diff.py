"""`podlint diff OLD NEW`: what applying NEW over OLD does to the running system.

Each side (files, folders, or a git revision, see podlint.gitrev) is loaded,
linted and modelled once, file by file (run.map_files, so `--jobs` applies).
Objects are paired by kind, namespace and name; a rename is a removal plus an
addition. Per workload the diff says

- whether the apply starts a rollout (the pod template changed, and which
  fields), or does something else (a ReplicaSet's template only reaches new pods,
  a CronJob's the next Job, an OnDelete strategy waits for deletions);
- immutable fields that changed: the apply is rejected (`field is immutable`)
  and the object must be deleted and recreated;
- what moves in the predicted timelines, each as OLD -> NEW: earliest/latest
  Ready, the shutdown budget (preStop against the grace period), the liveness
  restart window, and the rollout (duration, capacity floor, waves) when
  podlint.rollout is present;
- findings introduced and fixed, matched by fingerprint (podlint.fingerprint),
  never by line.

The result is plain data (`DiffResult.to_dict()`); podlint.diff_render formats
it as text, JSON or Markdown for a pull-request comment.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from podlint.config import Settings
from podlint.finding import Finding, severity_rank

# Fields the API server refuses to change (pkg/apis/apps/validation
# ValidateDeploymentUpdate, ValidateStatefulSetUpdate, ValidateDaemonSetUpdate,
# ValidateReplicaSetUpdate; pkg/apis/batch/validation ValidateJobUpdate).
IMMUTABLE = {
    "Deployment": ("spec.selector",),
    "DaemonSet": ("spec.selector",),
    "ReplicaSet": ("spec.selector",),
    "StatefulSet": ("spec.selector", "spec.volumeClaimTemplates", "spec.serviceName",
                    "spec.podManagementPolicy"),
    "Job": ("spec.selector", "spec.template", "spec.completionMode"),
}
# Pod: ValidatePodUpdate allows only these spec changes in place.
POD_MUTABLE = ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds")
ROLLING_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "DeploymentConfig")
MAX_CHANGES = 200       # listed per workload; the rest are counted


class DiffError(Exception):
    """A side that cannot be read (bad git revision, git missing): exit 2."""


# ----------------------------------------------------------------------------- plain data

def plain(value: Any, depth: int = 0) -> Any:
    """ruamel's CommentedMap/CommentedSeq as dicts and lists (keys as strings)."""
    if depth > 100:
        return None
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value if not isinstance(value, str) else str(value)
    return str(value)


def _get(data: Any, dotted: str) -> Any:
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _keyed(items: list) -> dict[str, Any] | None:
    """A list whose items all have distinct names, keyed `[name=x]`; else None."""
    out: dict[str, Any] = {}
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not name or f"[name={name}]" in out:
            return None
        out[f"[name={name}]"] = item
    return out


def changed_paths(old: Any, new: Any, path: str, out: list[tuple[str, Any, Any]],
                  depth: int = 0) -> None:
    """(field path, old value, new value) for every leaf that differs, in the
    fingerprint's path notation. A key present on one side only is one change."""
    if old == new:
        return
    if depth > 60:
        out.append((path, old, new))
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            child = f"{path}.{key}" if path else key
            changed_paths(old.get(key), new.get(key), child, out, depth + 1)
        return
    if isinstance(old, list) and isinstance(new, list):
        old_keyed, new_keyed = _keyed(old), _keyed(new)
        if old_keyed is not None and new_keyed is not None:
            for key in list(old_keyed) + [k for k in new_keyed if k not in old_keyed]:
                changed_paths(old_keyed.get(key), new_keyed.get(key), f"{path}{key}", out,
                              depth + 1)
            return
        if len(old) == len(new):
            for index, (a, b) in enumerate(zip(old, new)):
                changed_paths(a, b, f"{path}[{index}]", out, depth + 1)
            return
    out.append((path, old, new))


# ----------------------------------------------------------------------------- one side

@dataclass
class ObjectState:
    kind: str
    namespace: str | None
    name: str | None
    path: str
    line: int
    data: Any                              # plain
    template_path: str | None = None       # set for workloads: "spec.template", "" for a Pod
    metrics: dict[str, Any] = field(default_factory=dict)   # name -> plain value (JSON)
    strategy: str | None = None
    occurrence: int = 1             # the Nth object of a side with this kind/namespace/name
    pod_key: Any = None             # crossfile.object_key of a pod-carrying document

    @property
    def key(self) -> tuple[str, str, str, int]:
        """Kind, namespace, name; a side that defines one object twice (two apps'
        folders, overlays) pairs the Nth with the Nth, in path order."""
        return (self.kind, self.namespace or "", self.name or "", self.occurrence)

    @property
    def ref(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name or '<unnamed>'}"


@dataclass
class SideFile:
    """What a worker sends back for one file (picklable)."""
    result: Any                             # engine.FileResult
    objects: list[ObjectState]
    owners: list[int | None]        # index in `objects` of each finding's object


@dataclass
class Side:
    label: str
    objects: dict[tuple, ObjectState]
    findings: list[tuple[Finding, tuple | None]]
    errors: list[Finding]
    summary: Any = None             # the merged crossfile.Summary (application scopes)


def _bounds_dict(earliest, latest, never=False) -> dict:
    return {"earliest": earliest, "latest": latest, "never": bool(never)}


def workload_metrics(workload, pod, timeline) -> dict[str, Any]:
    """The numbers the diff compares, from the same timeline explain prints."""
    metrics: dict[str, Any] = {
        "ready": timeline.ready.to_dict(),
        "stop": _stop_bounds(timeline),
        "grace": timeline.grace,
    }
    for name in sorted(timeline.containers):
        timing = timeline.containers[name]
        if timing.pre_stop is not None:     # the shutdown budget: the hook against the grace
            metrics[f"pre_stop:{name}"] = {"earliest": timing.pre_stop.earliest,
                                           "latest": timing.pre_stop.latest,
                                           "grace": timeline.kill_grace}
        restart = timeline.event("liveness-restart-earliest", name)
        if restart is not None:
            metrics[f"liveness_restart:{name}"] = _bounds_dict(restart.earliest, restart.latest)
    rollout = _rollout(workload, timeline)
    if rollout:
        metrics["rollout"] = rollout
    return metrics


def _stop_bounds(timeline) -> dict:
    """When the pod is gone after deletion: from the last stop signal (after the
    preStop hooks) at the earliest to the last SIGKILL deadline at the latest."""
    signals = [e for e in timeline.shutdown if e.event in ("stop-signal", "sidecar-stop-signal")]
    kills = [e for e in timeline.shutdown if e.event == "sigkill-deadline"]
    earliest = max((e.earliest for e in signals), default=0)
    latest = None
    if kills and all(e.latest is not None for e in kills):
        latest = max(e.latest for e in kills)
    return {"earliest": earliest, "latest": latest}


def _rollout(workload, timeline) -> dict | None:
    """podlint.rollout's prediction, when that module exists (issue 11)."""
    try:
        from podlint.rollout import rollout_for
    except ImportError:
        return None
    try:
        rollout = rollout_for(workload, timeline)
        if rollout is None:
            return None
        data = rollout.to_dict()
    except Exception:       # a model that cannot say must not break the diff
        return None
    keep = ("strategy", "waves", "min_available", "duration_earliest", "duration_latest")
    return {k: data.get(k) for k in keep if k in data}


def _strategy(kind: str, data: Any) -> str | None:
    strategy = _get(data, "spec.updateStrategy.type") if kind in ("StatefulSet", "DaemonSet") \
        else _get(data, "spec.strategy.type")
    return strategy if isinstance(strategy, str) else None


def load_side_file(source, settings: Settings, plan) -> SideFile:
    """Load, lint and model one file (run.map_files calls it, maybe in a worker)."""
    from podlint.assumptions import resolve_assumptions
    from podlint.crossfile import object_key
    from podlint.engine import lint_loaded
    from podlint.loader import load_source
    from podlint.model import model_document
    from podlint.timeline import build_timeline
    from podlint.workloads import object_identity

    loaded = load_source(source, settings.max_file_size)
    result = lint_loaded(loaded, settings, plan)
    objects: list[ObjectState] = []
    starts: list[tuple[int, int | None]] = []
    for document in loaded.documents:
        identity = object_identity(document.data)
        if identity is None:
            starts.append((document.line, None))
            continue
        _, kind, name, namespace = identity
        state = ObjectState(kind, namespace, name, document.path, document.line,
                            plain(document.data))
        try:
            workload, pod, _problem = model_document(document)
            if pod is not None:
                timeline = build_timeline(pod, resolve_assumptions(settings, workload),
                                          settings.kubernetes_version)
                state.template_path = workload.template_path
                state.pod_key = object_key(document)
                state.metrics = workload_metrics(workload, pod, timeline)
                state.strategy = _strategy(kind, state.data)
        except Exception:       # modelling problems are lint's business (PL002/PL000)
            pass
        starts.append((document.line, len(objects)))
        objects.append(state)
    starts.sort(key=lambda item: item[0])
    owners = []
    for finding in result.findings:
        owner = None
        for line, key in starts:
            if line <= finding.location.line:
                owner = key
            else:
                break
        owners.append(owner if finding.code != "PL001" else None)
    return SideFile(result, objects, owners)


def _crashed(sources, reason: str) -> list[SideFile]:
    from podlint.run import _crashed as lint_crashed

    return [SideFile(result, [], [None] * len(result.findings))
            for result in lint_crashed(sources, reason)]


def load_side(label: str, paths, settings: Settings, jobs: int | None = None,
              display=None) -> Side:
    """One side of the diff. `display(path)` maps materialized paths (git) back."""
    from podlint.crossfile import Summary, settle
    from podlint.filter import RulePlan
    from podlint.loader import discover
    from podlint.registry import all_rules
    from podlint.run import _excluded, map_files

    plan = RulePlan.build(settings, all_rules())
    sources = [s for s in discover(paths) if not _excluded(s.path, settings.exclude)]
    parts = map_files(sources, partial(load_side_file, settings=settings, plan=plan), jobs,
                      _crashed)
    summary = Summary()
    objects: dict[tuple, ObjectState] = {}
    owned: list[tuple[Finding, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for part in parts:
        summary.merge(part.result.summary)
        for state in part.objects:
            if display is not None:
                state.path = display(state.path)
            base = (state.kind, state.namespace or "", state.name or "")
            seen[base] = state.occurrence = seen.get(base, 0) + 1
            objects[state.key] = state
        owned.extend((finding, None if owner is None else part.objects[owner].key)
                     for finding, owner in zip(part.result.findings, part.owners))
    findings, errors = [], []
    from dataclasses import replace

    from podlint.finding import Location
    for raw, owner in owned:
        # settled one by one: a finding resting on another object comes back
        # rewritten (naming that object), so it cannot be matched by identity
        settled = settle([raw], summary) if raw.condition is not None else [raw]
        if not settled:
            continue
        finding = settled[0]
        if display is not None:
            location = finding.location
            finding = replace(finding, location=Location(display(location.path), location.line,
                                                         location.column))
        if finding.code in ("PL000", "PL001"):
            errors.append(finding)
        findings.append((finding, owner))
    from podlint.run import finding_sort_key
    findings.sort(key=lambda pair: finding_sort_key(pair[0]))
    errors.sort(key=finding_sort_key)
    return Side(label, objects, findings, errors, summary)


# ----------------------------------------------------------------------------- comparing

@dataclass
class Change:
    path: str
    old: Any
    new: Any

    def to_dict(self) -> dict:
        return {"path": self.path, "old": self.old, "new": self.new}


@dataclass
class ObjectDiff:
    kind: str
    namespace: str | None
    name: str | None
    status: str                         # added | removed | changed | unchanged
    path: str | None                    # where NEW has it (OLD's for a removal)
    line: int | None
    workload: bool = False
    rollout: str | None = None          # a sentence, or None when the apply starts nothing
    template_changes: list[Change] = field(default_factory=list)
    template_changes_total: int = 0
    immutable: list[Change] = field(default_factory=list)
    immutable_note: str | None = None
    metrics: list[dict] = field(default_factory=list)   # {"metric", "old", "new"} that moved
    introduced: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)

    @property
    def ref(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name or '<unnamed>'}"

    @property
    def interesting(self) -> bool:
        return self.status != "unchanged" or bool(self.introduced or self.fixed)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "namespace": self.namespace, "name": self.name,
            "status": self.status, "path": self.path, "line": self.line,
            "workload": self.workload,
            "rollout": self.rollout,
            "template_changes": [c.to_dict() for c in self.template_changes],
            "template_changes_total": self.template_changes_total,
            "immutable": [c.to_dict() for c in self.immutable],
            "immutable_note": self.immutable_note,
            "timeline": self.metrics,
            "introduced": [f.to_dict() for f in self.introduced],
            "fixed": [f.to_dict() for f in self.fixed],
        }


@dataclass
class DiffResult:
    old_label: str
    new_label: str
    objects: list[ObjectDiff]
    errors: list[Finding]               # NEW's (and OLD's) unreadable/unparsable files
    fail_on: str = "warning"

    def counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        for item in self.objects:
            out[item.status] += 1
        out["introduced"] = sum(len(o.introduced) for o in self.objects)
        out["fixed"] = sum(len(o.fixed) for o in self.objects)
        out["rollouts"] = sum(1 for o in self.objects if o.rollout and o.rollout.startswith("yes"))
        out["immutable"] = sum(1 for o in self.objects if o.immutable)
        return out

    def failing(self) -> list[Finding]:
        threshold = severity_rank(self.fail_on)
        return [f for o in self.objects for f in o.introduced if severity_rank(f.severity) >= threshold]

    def exit_code(self, exit_zero: bool = False) -> int:
        if self.errors:
            return 2
        if exit_zero:
            return 0
        return 1 if self.failing() else 0

    def to_dict(self) -> dict:
        from podlint import __version__

        return {
            "podlint_version": __version__,
            "old": self.old_label,
            "new": self.new_label,
            "fail_on": self.fail_on,
            "summary": self.counts(),
            "objects": [o.to_dict() for o in self.objects if o.interesting],
            "errors": [f.to_dict() for f in self.errors],
        }


def _rollout_sentence(kind: str, strategy: str | None, changes: list[Change]) -> str | None:
    if not changes:
        return None
    fields = f"{len(changes)} pod template field{'s' if len(changes) != 1 else ''} changed"
    if kind in ROLLING_KINDS:
        if strategy == "OnDelete":
            return f"no automatic rollout: updateStrategy OnDelete ({fields}; pods change only when deleted)"
        if kind == "Deployment" and strategy == "Recreate":
            return f"yes, Recreate: every old pod stops before a new one starts ({fields})"
        return f"yes ({fields})"
    if kind in ("ReplicaSet", "ReplicationController"):
        return f"no rollout: running pods keep the old template, only new pods get it ({fields})"
    if kind == "CronJob":
        return f"no rollout: the next scheduled Job uses it ({fields})"
    if kind == "Job":
        return None         # an immutable change, reported as such
    if kind == "Pod":
        return None
    return f"pods created from now on use it ({fields})"


def _immutable(kind: str, old: Any, new: Any) -> tuple[list[Change], str | None]:
    changes: list[Change] = []
    if kind == "Pod":
        found: list[tuple[str, Any, Any]] = []
        changed_paths(old.get("spec") if isinstance(old, dict) else None,
                      new.get("spec") if isinstance(new, dict) else None, "spec", found)
        for path, a, b in found:
            tail = path.split(".", 2)
            mutable = (len(tail) >= 2 and tail[1].split("[")[0] in POD_MUTABLE) or (
                path.endswith(".image") and (path.startswith("spec.containers[")
                                             or path.startswith("spec.initContainers[")))
            if not mutable:
                changes.append(Change(path, a, b))
        note = ("a Pod's spec is immutable apart from images, activeDeadlineSeconds and added "
                "tolerations: the apply is rejected; delete and recreate the Pod") if changes else None
        return changes, note
    fields = []
    for dotted in IMMUTABLE.get(kind, ()):
        a, b = _get(old, dotted), _get(new, dotted)
        if a != b:
            fields.append(dotted)
            leaves: list[tuple[str, Any, Any]] = []
            changed_paths(a, b, dotted, leaves)
            changes.extend(Change(*leaf) for leaf in leaves[:20])
    if not changes:
        return [], None
    return changes, (f"{', '.join(fields)} cannot change on an existing {kind}: "
                     "the apply is rejected (field is immutable); delete and recreate it "
                     "(kubectl replace --force, or delete then apply)")


# Shown for every rollout even when they stay the same: without podlint.rollout
# they are what each wave of the rollout waits for (a new pod Ready, an old one gone).
ALWAYS_SHOWN = ("ready", "stop", "rollout")


def _metric_rows(old: dict, new: dict, rolling: bool) -> list[dict]:
    rows = []
    for name in list(old) + [k for k in new if k not in old]:
        a, b = old.get(name), new.get(name)
        if a != b or (rolling and name in ALWAYS_SHOWN):
            rows.append({"metric": name, "old": a, "new": b, "changed": a != b})
    return rows


def selecting_services(side: Side, state: ObjectState) -> list[str] | None:
    """Names of the Services in the workload's application scope (design.md 7:
    namespace, folder or kustomization, stream) that select its pods, sorted;
    None for an object without pods. A change that leaves a served workload with
    no Service (labels edited, selector edited) takes it out of traffic, however
    clean its findings look."""
    if state.pod_key is None or side.summary is None:
        return None
    pod = side.summary.pods.get(state.pod_key)
    if pod is None:
        return None
    return sorted({service.name or "<unnamed>"
                   for service in side.summary.index.services_selecting(pod)})


def compare(old: Side, new: Side, fail_on: str = "warning") -> DiffResult:
    keys = sorted(set(old.objects) | set(new.objects))
    by_owner_old = _group(old.findings)
    by_owner_new = _group(new.findings)
    diffs: list[ObjectDiff] = []
    for key in keys:
        a, b = old.objects.get(key), new.objects.get(key)
        state = b or a
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        else:
            status = "changed" if a.data != b.data else "unchanged"
        item = ObjectDiff(state.kind, state.namespace, state.name, status, state.path, state.line,
                          workload=state.template_path is not None)
        if a is not None and b is not None and status == "changed":
            if b.template_path is not None and a.template_path == b.template_path:
                found: list[tuple[str, Any, Any]] = []
                if b.template_path:
                    changed_paths(_get(a.data, b.template_path), _get(b.data, b.template_path),
                                  b.template_path, found)
                else:       # a Pod: its spec is its template
                    changed_paths(a.data.get("spec"), b.data.get("spec"), "spec", found)
                item.template_changes_total = len(found)
                item.template_changes = [Change(*c) for c in found[:MAX_CHANGES]]
                item.rollout = _rollout_sentence(b.kind, b.strategy, item.template_changes)
            item.immutable, item.immutable_note = _immutable(b.kind, a.data, b.data)
            if item.immutable and item.rollout:
                count = len(item.template_changes)
                item.rollout = ("no: the apply is rejected (immutable fields); recreating the "
                                f"{b.kind} replaces every pod at once; {count} pod template "
                                f"field{'s' if count != 1 else ''} changed")
            rolling = bool(item.rollout) and item.rollout.startswith("yes")
            item.metrics = _metric_rows(a.metrics, b.metrics, rolling)
            before, after = selecting_services(old, a), selecting_services(new, b)
            if before is not None and after is not None and before != after:
                item.metrics.append({"metric": "services", "old": before, "new": after,
                                     "changed": True})
        item.introduced, item.fixed = _match(by_owner_old.get(key, []), by_owner_new.get(key, []))
        diffs.append(item)
    # Findings outside any object (a file that does not parse) belong to no row.
    # PL000/PL001 are the run's errors, listed on their own; anything else here sits
    # on a document that is not a Kubernetes object (PL002).
    loose_old = [f for f in by_owner_old.get(None, []) if f.code not in ("PL000", "PL001")]
    loose_new = [f for f in by_owner_new.get(None, []) if f.code not in ("PL000", "PL001")]
    if loose_old or loose_new:
        item = ObjectDiff("(outside any object)", None, None, "unchanged", None, None)
        item.introduced, item.fixed = _match(loose_old, loose_new)
        diffs.append(item)
    errors = [f for f in new.errors] + [f for f in old.errors if f.code == "PL000"]
    return DiffResult(old.label, new.label, diffs, errors, fail_on)


def _group(findings) -> dict:
    out: dict = {}
    for finding, owner in findings:
        out.setdefault(owner, []).append(finding)
    return out


def _unmatched(items: list[Finding], others: list[Finding]) -> list[Finding]:
    """The items left once each is paired with one of `others` of the same
    fingerprint (a multiset difference), in their own order."""
    remaining = Counter(finding.fingerprint or "" for finding in others)
    left = []
    for finding in items:
        fp = finding.fingerprint or ""
        if remaining[fp] > 0:
            remaining[fp] -= 1
        else:
            left.append(finding)
    return left


def _match(old: list[Finding], new: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(introduced, fixed): multiset difference by fingerprint, in output order."""
    return _unmatched(new, old), _unmatched(old, new)
