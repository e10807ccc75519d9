"""The probe formulas of lifecycle-semantics.md 2.3-2.4, as pure functions of
bounds and probe fields, so that the timeline's events, the sentences of
`podlint explain` and the rules that ask the timeline all use one arithmetic.

Notation (2.4): `s` the container's start, `h` when the kubelet sees it running
(after its postStart and the pulls and postStarts of later containers started in
the same sync), `d/p/T/F` initialDelay/period/timeout/failureThreshold,
`e0 = max(h, s + d)`.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from podlint.timeline.bounds import Bounds, _add, _bmax, _num

if TYPE_CHECKING:
    from podlint.model import Container, Probe

# IANA_SVC_NAME (k8s.io/apimachinery validation.IsValidPortName): at most 15
# characters of [-a-z0-9], at least one letter, no hyphen at either end or twice.
_IANA_SVC_NAME = re.compile(r"^(?=.{1,15}$)(?=[-a-z0-9]*[a-z])[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$")


def first_run(gate: Bounds, started: Bounds, initial_delay: float) -> Bounds:
    """e0 = max(gate, s + d): the earliest moment a tick may run the probe."""
    return _bmax(gate, started.shift(initial_delay))


def first_run_window(e0: Bounds, period: float) -> Bounds:
    """The first run lies in [e0, e0 + p) (2.4)."""
    return Bounds(e0.earliest, _add(e0.latest, period))


def _run_spacing(period: float, timeout: float) -> float:
    """How far apart failing runs that take the whole timeout start: the prober's
    ticker fires every p, but a run blocks the loop (worker.go run: doProbe, then
    wait for the next tick), so with T >= p each run starts when the last one ends
    (the ticker keeps one pending tick)."""
    return max(period, timeout)


def decision_window(period: float, timeout: float, failures: int) -> Bounds:
    """When the F-th failure is known, counted from the moment the check starts
    failing (x), whatever the failure looks like: [x + (F-1)p, x + p + (F-1)max(p, T) + T)
    (2.4; for T < p the familiar [x + (F-1)p, x + F*p + T)). The first failing run is
    the first tick at or after x (within p), then F - 1 more runs. The earliest
    bound is a check that fails at once (connection refused, an error status); the
    latest one whose runs each take the whole timeout (`hang_window`)."""
    spacing = _run_spacing(period, timeout)
    return Bounds(_num((failures - 1) * period), _num(period + (failures - 1) * spacing + timeout))


def hang_window(period: float, timeout: float, failures: int) -> Bounds:
    """The same decision when the container hangs at x: every run waits the whole
    timeout before it fails, so the F-th failure is known T after the F-th run
    starts: [x + (F-1)max(p, T) + T, x + p + (F-1)max(p, T) + T). Issue 10 (review
    seed 20261204, S059): period 15, timeout 10, three failures is 40 to 55 s after a
    hang, not the 30 s a refused connection allows."""
    spacing = _run_spacing(period, timeout)
    earliest = (failures - 1) * spacing + timeout
    return Bounds(_num(earliest), _num(period + earliest))


def kill_decided(e0: Bounds, period: float, timeout: float, failures: int) -> Bounds:
    """The earliest probe kill when every run fails from the first one on."""
    window = decision_window(period, timeout, failures)
    return Bounds(_num(e0.earliest + window.earliest), _add(e0.latest, window.latest))


def startup_budget(block: Bounds, initial_delay: float, period: float,
                   failures: int) -> tuple[float, float | None]:
    """(guaranteed, at most): seconds after its start within which an app must be
    up to survive its startup probe. The first run waits for max(h - s, d), where
    h - s is `block` (its postStart, and the pulls and postStarts of later
    containers in the same sync); then F runs p apart. Guaranteed when
    A <= max(h - s, d) + (F-1)p (the earliest h); may survive while
    A < max(h - s, d) + F*p (None when h - s has no upper bound)."""
    guaranteed = _num(max(block.earliest, initial_delay) + (failures - 1) * period)
    at_most = None if block.latest is None else _num(max(block.latest, initial_delay) + failures * period)
    return guaranteed, at_most


def port_problem(container: "Container", probe: "Probe | None") -> str | None:
    """Why a probe can never produce a result: a named port the container does not
    declare. The prober's ResolveContainerPort fails, doProbe discards the error
    (pkg/kubelet/prober/worker.go; 2.3), so the probe neither succeeds nor kills."""
    if probe is None:
        return None
    handler = probe.handler
    # Only a well-formed name reaches the kubelet: the API rejects other strings
    # (and any name on a grpc probe), so for them there is no run-time behaviour to
    # predict (an unrendered template's `${PORT}`, PL003's business).
    if handler.action in ("httpGet", "tcpSocket") and isinstance(handler.port, str) \
            and _IANA_SVC_NAME.match(handler.port) and "--" not in handler.port \
            and container.resolve_port(handler.port) is None:
        return (f'{probe.kind} probe targets port "{handler.port}", which the container does '
                "not declare (every run errors and the kubelet discards the result)")
    return None
