"""The predicted startup and shutdown timeline of a pod, with time bounds.

Pod -> Timeline: what the kubelet does and when, as far as the manifest fixes
it (lifecycle-semantics.md sections 1-3 and 8). Startup times count from the
pod being scheduled (admitted by the kubelet); shutdown times count from t0,
the moment the kubelet starts the kill (3.1). Every time is a pair of bounds:
`earliest` (a number) and `latest` (a number, or None for unbounded). Unknown
run-time quantities (image pull, an init container's run, the app's startup and
shutdown, an exec or HTTP hook) are 0 for the earliest bound and unbounded for
the latest unless an assumption states them; `sleep` hooks have known durations.
Kubelet and control-plane latencies (PLEG relists, sync lags) are taken as 0 and
named in the details, so that the grace arithmetic of 3.2 stays exact.

The package follows the flow, one floor per module, no import running back up:

    versions   version gates and kubelet constants (imports nothing of podlint)
    bounds     Bounds and the number helpers
    events     the event vocabulary, Event, ContainerTiming, Timeline
    hooks      known durations of sleep hooks and self-ending commands
    probes     the probe formulas of 2.4 (first run, decision window, budget)
    startup    admission -> Ready            shutdown   t0 -> SIGKILL
    build      the builder and build_timeline

Rules read the result (ContainerTiming fields are the stable surface); the
`explain` renderers print it. Everything other modules import is re-exported
here, so `from podlint.timeline import ...` is the one public path. Nothing here
raises, whatever the pod holds: the model has already defaulted every probe
field and grace period, and every formula guards its inputs.
"""
from podlint.timeline.bounds import UNKNOWN, ZERO, Bounds, json_number
from podlint.timeline.build import build_timeline
from podlint.timeline.events import (SHUTDOWN_EVENTS, STARTUP_EVENTS, ContainerTiming, Event,
                                     Timeline)
from podlint.timeline.hooks import command_sleep, sleep_seconds
from podlint.timeline.shutdown import kill_sequence
from podlint.timeline.versions import (MIN_KILL_GRACE, PRESTOP_WITHIN_GRACE_SINCE,
                                       PROBE_GRACE_SINCE, READINESS_TRIGGER_SINCE,
                                       SIDECAR_ORDER_SINCE, SIDECARS_SINCE, SLEEP_ACTION_SINCE,
                                       STARTUP_PROBE_SINCE)

__all__ = [
    "Bounds", "ContainerTiming", "Event", "MIN_KILL_GRACE", "PRESTOP_WITHIN_GRACE_SINCE",
    "PROBE_GRACE_SINCE", "READINESS_TRIGGER_SINCE", "SHUTDOWN_EVENTS", "SIDECARS_SINCE",
    "SIDECAR_ORDER_SINCE", "SLEEP_ACTION_SINCE", "STARTUP_EVENTS", "STARTUP_PROBE_SINCE",
    "Timeline", "UNKNOWN", "ZERO", "build_timeline", "command_sleep", "json_number",
    "kill_sequence", "sleep_seconds",
]
