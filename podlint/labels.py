"""Kubernetes label selectors, read and matched once for every layer that
relates objects by labels: PL008 (a workload's selector against its template),
PodDisruptionBudgets covering pods (podlint.crossfile). `matchLabels` and
`matchExpressions` with In, NotIn, Exists and DoesNotExist, as
apimachinery's metav1.LabelSelectorAsSelector reads them; a plain map (a
Service's or ReplicationController's selector) is matchLabels alone.
"""
from __future__ import annotations

from typing import Any

Requirement = tuple[str, str, tuple[str, ...]]      # (key, operator, values)


def label_value(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def selector_requirements(selector: Any, plain_map: bool) -> list[tuple[str, str, tuple[str, ...]]] | None:
    """(key, operator, values) requirements, or None when the selector cannot be read."""
    if not isinstance(selector, dict):
        return None
    out = []
    labels = selector if plain_map else selector.get("matchLabels")
    if labels is not None:
        if not isinstance(labels, dict):
            return None
        for key, value in labels.items():
            text = label_value(value)
            if not isinstance(key, str) or text is None:
                return None
            out.append((key, "In", (text,)))
    if plain_map:
        return out
    expressions = selector.get("matchExpressions")
    if expressions is not None:
        if not isinstance(expressions, list):
            return None
        for expression in expressions:
            if not isinstance(expression, dict):
                return None
            key, operator = expression.get("key"), expression.get("operator")
            values = expression.get("values") or []
            if not isinstance(key, str) or operator not in ("In", "NotIn", "Exists", "DoesNotExist") \
                    or not isinstance(values, list):
                return None
            texts = tuple(label_value(v) for v in values)
            if None in texts:
                return None
            out.append((key, operator, texts))
    return out


def requirement_fails(requirement, labels: dict[str, str]) -> bool:
    key, operator, values = requirement
    present = key in labels
    if operator == "In":
        return not present or labels[key] not in values
    if operator == "NotIn":
        return present and labels[key] in values
    if operator == "Exists":
        return not present
    return present                              # DoesNotExist


def selector_matches(requirements: list[Requirement], labels: dict[str, str]) -> bool:
    """All requirements hold (an empty list selects every pod)."""
    return not any(requirement_fails(r, labels) for r in requirements)
