"""PodDisruptionBudgets and HorizontalPodAutoscalers, and what they allow.

A node drain evicts pods through the Eviction API, which refuses while a
budget covering the pod allows no disruption; an autoscaler moves a workload's
replica count between its minimum and maximum, and the budget's arithmetic
moves with it. Both are other objects, related to a workload only inside its
application scope (podlint.scope). Workers record small facts per file; the run
answers, once every file is in, which budgets and autoscalers act on a
workload and how many pods a drain may take at full scale and at the
autoscaler's minimum (podlint.rollout.pdb_allowed_disruptions follows
disruption.go).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from podlint.helm import env_placeholder
from podlint.labels import selector_matches, selector_requirements
from podlint.rollout import pdb_allowed_disruptions
from podlint.scope import Place

SCALED_KINDS = frozenset({"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController",
                          "DeploymentConfig"})


@dataclass(frozen=True)
class BudgetFacts:
    """One PodDisruptionBudget as the disruption controller reads it."""
    name: str | None
    place: Place
    requirements: tuple | None          # None: a selector podlint cannot read
    empty_selects_all: bool             # policy/v1: {} selects every pod; v1beta1: none
    min_available: int | str | None
    max_unavailable: int | str | None
    line: int                           # the minAvailable / maxUnavailable value
    column: int

    def selects(self, labels: dict[str, str]) -> bool:
        if self.requirements is None:
            return False
        if not self.requirements:
            return self.empty_selects_all
        return selector_matches(list(self.requirements), labels)

    def spec(self) -> dict:
        return {"minAvailable": self.min_available, "maxUnavailable": self.max_unavailable}

    def describe(self) -> str:
        return self.place.describe("PodDisruptionBudget", self.name)

    def rule_text(self) -> str:
        if self.max_unavailable is not None:
            return f"maxUnavailable {self.max_unavailable}"
        return f"minAvailable {self.min_available}"


@dataclass(frozen=True)
class AutoscalerFacts:
    name: str | None
    place: Place
    target_kind: str | None
    target_name: str | None
    min_replicas: int                   # default 1
    max_replicas: int | None

    def targets(self, ref: str) -> bool:
        return f"{self.target_kind}/{self.target_name}" == ref

    def describe(self) -> str:
        return self.place.describe("HorizontalPodAutoscaler", self.name)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _int_or_percent(value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    return value if isinstance(value, (int, str)) else None


_PERCENT = re.compile(r"[0-9]+%\Z")


def budget_rejections(spec: Any) -> list[tuple[str | None, str]]:
    """Why the API server refuses a PodDisruptionBudget's numbers, as (the key at
    fault, or None for the spec, message) pairs (policy validation
    ValidatePodDisruptionBudgetSpec): both minAvailable and maxUnavailable set,
    a negative count, a string that is not `N%`, or more than 100 %. Such a
    budget is never created, so it neither protects nor blocks anything."""
    if not isinstance(spec, dict):
        return []
    out: list[tuple[str | None, str]] = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        out.append((None, "minAvailable and maxUnavailable cannot be both set"))
    for key in ("minAvailable", "maxUnavailable"):
        value = spec.get(key)
        if value is None or isinstance(value, bool) or env_placeholder(value):
            continue            # a bool is PL003's; a placeholder is filled in before apply
        if isinstance(value, int):
            if value < 0:
                out.append((key, f"{key}: {value} is negative"))
        elif isinstance(value, str):
            if not _PERCENT.match(value):
                out.append((key, f"{key}: {value!r} is neither an integer nor a percentage like '50%'"))
            elif int(value[:-1]) > 100:
                out.append((key, f"{key}: {value} is more than 100%"))
    return out


def selector_selects_nothing(spec: Any, api_version: str) -> bool:
    """Does the budget's selector cover no pod at all? A missing selector
    (LabelSelectorAsSelector(nil) is labels.Nothing()), and in policy/v1beta1 an
    empty one too; in policy/v1 `selector: {}` covers every pod of the namespace
    (the PDB lister's GetPodPodDisruptionBudgets)."""
    selector = spec.get("selector") if isinstance(spec, dict) else None
    if selector is None:
        return True
    return api_version == "policy/v1beta1" and isinstance(selector, dict) and not any(
        selector.get(key) for key in ("matchLabels", "matchExpressions"))


def budget_facts(data: dict, api_version: str, name: str | None, place: Place) -> BudgetFacts | None:
    spec = data.get("spec")
    if not isinstance(spec, dict) or budget_rejections(spec):
        return None             # refused by the API server: no budget exists (PL013)
    selector = spec.get("selector")
    requirements = selector_requirements(selector if selector is not None else {}, False) \
        if isinstance(selector, (dict, type(None))) else None
    covers_nothing = selector_selects_nothing(spec, api_version)
    if covers_nothing:
        requirements = ()       # with empty_selects_all False below: it covers no pod
    key = "maxUnavailable" if spec.get("maxUnavailable") is not None else "minAvailable"
    try:
        line, column = spec.lc.value(key) if key in spec else (spec.lc.line, spec.lc.col)
        line, column = line + 1, column + 1
    except Exception:
        line, column = place.line, 1
    return BudgetFacts(name, place, None if requirements is None else tuple(requirements),
                       not covers_nothing and api_version != "policy/v1beta1",
                       _int_or_percent(spec.get("minAvailable")),
                       _int_or_percent(spec.get("maxUnavailable")), line, column)


def autoscaler_facts(data: dict, name: str | None, place: Place) -> AutoscalerFacts | None:
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return None
    target = spec.get("scaleTargetRef")
    target = target if isinstance(target, dict) else {}
    kind, target_name = target.get("kind"), target.get("name")
    return AutoscalerFacts(name, place, kind if isinstance(kind, str) else None,
                           target_name if isinstance(target_name, str) else None,
                           _count(spec.get("minReplicas")) or 1, _count(spec.get("maxReplicas")))


@dataclass(frozen=True)
class Covered:
    """What one budget allows for the pods it covers in scope."""
    budget: BudgetFacts
    workloads: tuple[str, ...]          # the workloads it covers, described
    pods: int | None                    # their replicas at full scale (None: unknown, a DaemonSet)
    allowed: int | None                 # at full scale
    pods_at_minimum: int | None         # with every covered autoscaler at its minimum
    allowed_at_minimum: int | None
    autoscalers: tuple[AutoscalerFacts, ...]


def covered(budget: BudgetFacts, workloads, autoscalers, related) -> Covered:
    """The budget's arithmetic over the workloads (PodFacts) it selects in
    scope. Full scale is spec.replicas, or an autoscaler's maximum; the other
    end is every autoscaler at its minimum."""
    mine = [w for w in workloads if w.labels and budget.selects(dict(w.labels))]
    described = tuple(w.describe() for w in mine)
    scalers: list[AutoscalerFacts] = []
    full = minimum = 0
    known = bool(mine)
    for workload in mine:
        scaler = next((a for a in autoscalers if a.targets(workload.ref) and related(workload, a)), None)
        if workload.replicas is None:
            known = False
            continue
        if scaler is not None:
            scalers.append(scaler)
            full += scaler.max_replicas if scaler.max_replicas is not None else workload.replicas
            minimum += scaler.min_replicas
        else:
            full += workload.replicas
            minimum += workload.replicas
    if not known:
        return Covered(budget, described, None, None, None, None, tuple(scalers))
    return Covered(budget, described, full, pdb_allowed_disruptions(budget.spec(), full),
                   minimum, pdb_allowed_disruptions(budget.spec(), minimum), tuple(scalers))


def disruption_document(workload, budgets: list[Covered], autoscalers: list[AutoscalerFacts]) -> dict:
    """explain's JSON `disruption` object for one workload (design.md 8)."""
    allowed = [c.allowed for c in budgets if c.allowed is not None]
    at_minimum = [c.allowed_at_minimum for c in budgets if c.allowed_at_minimum is not None]
    full = min(allowed) if allowed else None
    return {
        "budgets": [{"name": c.budget.name, "path": c.budget.place.path, "line": c.budget.place.line,
                     "rule": c.budget.rule_text(), "pods": c.pods,
                     "allowed_disruptions": c.allowed,
                     "allowed_at_hpa_minimum": c.allowed_at_minimum} for c in budgets],
        "autoscalers": [{"name": a.name, "path": a.place.path, "line": a.place.line,
                         "min_replicas": a.min_replicas, "max_replicas": a.max_replicas}
                        for a in autoscalers],
        "allowed_disruptions": full,
        "allowed_at_hpa_minimum": min(at_minimum) if at_minimum and autoscalers else None,
        "drain_can_evict": None if budgets and full is None else (not budgets or full >= 1),
    }
