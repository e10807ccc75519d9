"""Everything a rule may import. Rules import only this module, so the engine
can move things around without breaking rule packs (flake8 and sqlfluff do the
same for their plugins)."""
from podlint.context import Context
from podlint.deprecations import Deprecation
from podlint.deprecations import status as deprecation_status
from podlint.deprecations import successor as successor_schema
from podlint.finding import RELATED, Condition, Finding, Location
from podlint.edits import Fix, ReplaceKey, SetValue
from podlint.rulekit import budget_rule, grace_covering_pre_stop, known_pre_stop, pre_stop_verb, seconds
from podlint.purpose import control_plane_static_pod, is_placeholder, placeholder_reason
from podlint.model import (DEFAULT_GRACE_SECONDS, DEFAULT_TERMINATION_MESSAGE_PATH,
                           POD_SCOPED_VOLUME_TYPES, READ_ONLY_VOLUME_TYPES, Container, Handler,
                           Hook, Pod, Port, Probe, Reference, Volume, VolumeMount, as_int, as_str)
from podlint.workloads import (ALWAYS_RESTART_KINDS, LABEL_SELECTOR_KINDS, MAP_SELECTOR_KINDS,
                               RUN_TO_COMPLETION_KINDS, Strategy, Workload, item_position,
                               key_position, object_identity, object_is_patch, object_is_whole,
                               value_position)
from podlint.shell import ShellPid1, pid1_shell
from podlint.images import never_exits, shell_less
from podlint.mesh import Mesh, mesh_of
from podlint.schema import SchemaViolation, schema_version_for, validate_document
from podlint.timeline.versions import PROBE_GRACE_SINCE
from podlint.rollout import unready_span

__all__ = [
    "Condition", "Container", "RELATED", "Context", "DEFAULT_GRACE_SECONDS",
    "DEFAULT_TERMINATION_MESSAGE_PATH", "Finding", "Handler", "Hook", "Location",
    "POD_SCOPED_VOLUME_TYPES", "Pod", "Port", "Probe", "READ_ONLY_VOLUME_TYPES",
    "RUN_TO_COMPLETION_KINDS", "Reference", "Volume", "VolumeMount", "Workload", "as_int",
    "as_str", "known_pre_stop", "seconds", "item_position", "key_position", "object_identity", "value_position",
]
# Kinds and object shape (workloads.py).
from podlint.labels import label_value, requirement_fails, selector_matches, selector_requirements

__all__ += ["label_value", "requirement_fails", "selector_matches", "selector_requirements"]
__all__ += ["ALWAYS_RESTART_KINDS", "LABEL_SELECTOR_KINDS", "MAP_SELECTOR_KINDS", "Strategy",
            "object_is_patch", "object_is_whole"]
# Version gates of the lifecycle model (lifecycle-semantics.md section 8).
__all__ += ["PROBE_GRACE_SINCE", "budget_rule"]
# What a pod or container is for (PL202, PL304, PL401, PL505 stay quiet on placeholders
# and control-plane static Pods).
__all__ += ["control_plane_static_pod", "is_placeholder", "placeholder_reason"]
# PL003 (schema) and PL004 (deprecated apiVersions) read these.
__all__ += ["Deprecation", "SchemaViolation", "deprecation_status", "schema_version_for", "successor_schema",
            "validate_document"]
# What the manifest implies (design.md 9): a shell kept as PID 1 (podlint.shell).
__all__ += ["ShellPid1", "pid1_shell", "pre_stop_verb"]
# ... and images without a shell, processes that never exit (podlint.images).
__all__ += ["never_exits", "shell_less"]
# ... and the proxy a service mesh injects (podlint.mesh).
__all__ += ["Mesh", "mesh_of"]
# `podlint fix`: a rule's fix(ctx) yields Fix(finding, changes, description).
__all__ += ["Fix", "ReplaceKey", "SetValue"]
__all__ += ["grace_covering_pre_stop"]
# How long a Recreate rollout leaves no pod Ready, as explain's note says it (PL602).
__all__ += ["unready_span"]
# Why the API server refuses a PodDisruptionBudget's numbers (PL013; PL603/PL604 skip those).
from podlint.disruption import budget_rejections, selector_selects_nothing

__all__ += ["budget_rejections", "selector_selects_nothing"]
