"""Time bounds and the number helpers every timeline formula uses.

A time or duration is a pair [earliest, latest]; latest None means unbounded
(an unknown run time). Numbers stay finite whatever a manifest holds: sums
saturate, NaN becomes 0, JSON gets ints for integral values and null for
unbounded ones.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    """A time or a duration known to lie in [earliest, latest]; latest None = unbounded."""
    earliest: float            # seconds
    latest: float | None       # None = unbounded

    @property
    def exact(self) -> bool:
        return self.latest is not None and self.latest == self.earliest

    @property
    def bounded(self) -> bool:
        return self.latest is not None

    def __add__(self, other: "Bounds | float") -> "Bounds":
        if not isinstance(other, Bounds):
            other = Bounds(other, other)
        return Bounds(_num(self.earliest + other.earliest),
                      _add(self.latest, other.latest))

    def shift(self, seconds: float) -> "Bounds":
        return self + Bounds(seconds, seconds)

    def to_dict(self) -> dict:
        return {"earliest": json_number(self.earliest), "latest": json_number(self.latest)}


ZERO = Bounds(0, 0)
UNKNOWN = Bounds(0, None)


def json_number(value: float | None) -> float | int | None:
    """A bound as JSON wants it: integral floats as ints, non-finite as null."""
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(value):
        return None
    if value.is_integer():
        return int(value)
    return round(value, 3)


def _num(value: float) -> float:
    """Keep numbers finite: an overflowing sum saturates at the largest float."""
    if value != value:          # NaN
        return 0.0
    if math.isinf(value):
        return math.copysign(1.7976931348623157e308, value)
    return value


def _add(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return _num(a + b)


def _max_l(*values: float | None) -> float | None:
    """max of latest bounds: unbounded if any is unbounded."""
    if any(v is None for v in values):
        return None
    return max(values) if values else 0


def _bmax(*bounds: Bounds) -> Bounds:
    """The later of several events (both bounds take the maximum)."""
    if not bounds:
        return ZERO
    return Bounds(max(b.earliest for b in bounds), _max_l(*(b.latest for b in bounds)))


def _fmt(value: float | None) -> str:
    number = json_number(value)
    return "unbounded" if number is None else f"{number}"


def _dur(seconds: float | None) -> str:
    number = json_number(seconds)
    return "an unknown time" if number is None else f"{number} s"

