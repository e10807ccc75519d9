"""Version gates of the lifecycle model (lifecycle-semantics.md section 8): the
first minor version with each behaviour on by default, and the kubelet constants
every layer above (timeline, rules, explain) reads. Nothing here imports podlint."""
STARTUP_PROBE_SINCE = (1, 18)           # beta, on by default
READINESS_TRIGGER_SINCE = (1, 21)       # readiness runs at the sync that sees the container
PROBE_GRACE_SINCE = (1, 25)             # probe-level terminationGracePeriodSeconds on by default
PRESTOP_WITHIN_GRACE_SINCE = (1, 28)    # SIGKILL by t0 + g + 2 (PR #115835)
SIDECARS_SINCE = (1, 29)                # SidecarContainers beta, on by default
SIDECAR_ORDER_SINCE = (1, 29)           # sidecars stopped after the mains, in reverse order
SLEEP_ACTION_SINCE = (1, 30)            # PodLifecycleSleepAction beta, on by default
MIN_KILL_GRACE = 2                      # kuberuntime minimumGracePeriodInSeconds (K2)
