"""Removed and deprecated Kubernetes apiVersions, per kind (data for PL004).

Pure data: no I/O. ``lookup`` and ``status`` are O(1) dict look-ups on a
table built once at import.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Deprecation:
    api_version: str                        # "apps/v1beta1"
    kind: str                               # "Deployment"
    deprecated_in: tuple[int, int] | None   # (1, 8); None if unknown
    removed_in: tuple[int, int] | None      # (1, 16); None if only deprecated
    replacement: str | None                 # "apps/v1"; None when the kind itself is gone
    note: str                               # one line on what changes when migrating


# Sources.
# removed_in and replacement: the Kubernetes "Deprecated API Migration Guide",
#   kubernetes/website content/en/docs/reference/using-api/deprecation-guide.md
#   (kubernetes.io/docs/reference/using-api/deprecation-guide/), sections
#   "Removed APIs by release" v1.32, v1.29, v1.27, v1.26, v1.25, v1.22, v1.16.
#   The guide lists no removal after v1.32 and no announced-only deprecation.
# deprecated_in: APILifecycleDeprecated in k8s.io/api zz_generated.prerelease-lifecycle.go
#   (apiextensions-apiserver and kube-aggregator for CRD / APIService); the alpha
#   RBAC types' doc comments ("Deprecated in v1.17").
# Rows marked "not in guide" come from kubernetes/kubernetes CHANGELOG-1.21 (#96987),
#   CHANGELOG-1.23 (#104248), CHANGELOG-1.24 (#103061) and, for admissionregistration
#   v1beta1 ValidatingAdmissionPolicy*, its prerelease-lifecycle tags (removed 1.34).
# Replacement policy: the stable apiVersion served by current releases. Where the
#   guide names an interim version that was itself removed later (flowcontrol
#   v1beta2/v1beta3, PodSecurityPolicy policy/v1beta1), the note says so.
# Row: (apiVersion, kind, deprecated_in, removed_in, replacement, note)
_SEL = "apps/v1 requires spec.selector (immutable; use the template labels)"
_ING = ("networking.k8s.io/v1: spec.backend -> spec.defaultBackend, serviceName/servicePort "
        "-> service.name/service.port.{number,name}, pathType required")
_FC = "flowcontrol.apiserver.k8s.io"
_ROWS: tuple[tuple[str, str, tuple[int, int] | None, tuple[int, int] | None, str | None, str], ...] = (
    # --- v1.16 ---
    ("extensions/v1beta1", "NetworkPolicy", (1, 9), (1, 16), "networking.k8s.io/v1", ""),
    ("extensions/v1beta1", "DaemonSet", (1, 8), (1, 16), "apps/v1",
     _SEL + "; updateStrategy defaults to RollingUpdate (was OnDelete); templateGeneration removed"),
    ("apps/v1beta2", "DaemonSet", (1, 9), (1, 16), "apps/v1", _SEL + "; templateGeneration removed"),
    ("extensions/v1beta1", "Deployment", (1, 8), (1, 16), "apps/v1",
     _SEL + "; rollbackTo removed; defaults change: progressDeadlineSeconds 600, "
     "revisionHistoryLimit 10, maxSurge/maxUnavailable 25%"),
    ("apps/v1beta1", "Deployment", (1, 8), (1, 16), "apps/v1",
     _SEL + "; rollbackTo removed; revisionHistoryLimit defaults to 10 (was 2)"),
    ("apps/v1beta2", "Deployment", (1, 9), (1, 16), "apps/v1", _SEL),
    ("apps/v1beta1", "StatefulSet", (1, 8), (1, 16), "apps/v1",
     _SEL + "; updateStrategy defaults to RollingUpdate (was OnDelete)"),
    ("apps/v1beta2", "StatefulSet", (1, 9), (1, 16), "apps/v1", _SEL),
    ("extensions/v1beta1", "ReplicaSet", (1, 8), (1, 16), "apps/v1", _SEL),
    # The guide lists apps/v1beta1 ReplicaSet; k8s.io/api never had that type.
    ("apps/v1beta1", "ReplicaSet", None, (1, 16), "apps/v1", _SEL),
    ("apps/v1beta2", "ReplicaSet", (1, 9), (1, 16), "apps/v1", _SEL),
    ("extensions/v1beta1", "PodSecurityPolicy", (1, 11), (1, 16), None,
     "guide: policy/v1beta1 (1.10-1.24); PodSecurityPolicy is gone since 1.25, use Pod Security Admission"),
    # --- v1.22 ---
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", (1, 16), (1, 22),
     "admissionregistration.k8s.io/v1",
     "v1: webhooks[*].sideEffects and admissionReviewVersions required; failurePolicy defaults to Fail, timeoutSeconds to 10"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", (1, 16), (1, 22),
     "admissionregistration.k8s.io/v1",
     "v1: webhooks[*].sideEffects and admissionReviewVersions required; failurePolicy defaults to Fail, timeoutSeconds to 10"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", (1, 16), (1, 22), "apiextensions.k8s.io/v1",
     "v1: spec.scope required; structural spec.versions[*].schema.openAPIV3Schema required; "
     "version/validation/subresources/additionalPrinterColumns move under spec.versions[*]"),
    ("apiregistration.k8s.io/v1beta1", "APIService", (1, 19), (1, 22), "apiregistration.k8s.io/v1", ""),
    ("authentication.k8s.io/v1beta1", "TokenReview", (1, 19), (1, 22), "authentication.k8s.io/v1", ""),
    ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", (1, 19), (1, 22), "authorization.k8s.io/v1",
     "spec.group renamed spec.groups"),
    ("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", (1, 19), (1, 22), "authorization.k8s.io/v1", ""),
    ("authorization.k8s.io/v1beta1", "SubjectAccessReview", (1, 19), (1, 22), "authorization.k8s.io/v1",
     "spec.group renamed spec.groups"),
    ("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", (1, 19), (1, 22), "authorization.k8s.io/v1", ""),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest", (1, 19), (1, 22), "certificates.k8s.io/v1",
     "v1: spec.signerName and spec.usages required; kubernetes.io/legacy-unknown not allowed"),
    ("coordination.k8s.io/v1beta1", "Lease", (1, 19), (1, 22), "coordination.k8s.io/v1", ""),
    ("extensions/v1beta1", "Ingress", (1, 14), (1, 22), "networking.k8s.io/v1", _ING),
    ("networking.k8s.io/v1beta1", "Ingress", (1, 19), (1, 22), "networking.k8s.io/v1", _ING),
    ("networking.k8s.io/v1beta1", "IngressClass", (1, 19), (1, 22), "networking.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", (1, 17), (1, 22), "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", (1, 17), (1, 22), "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1beta1", "Role", (1, 17), (1, 22), "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", (1, 17), (1, 22), "rbac.authorization.k8s.io/v1", ""),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", (1, 14), (1, 22), "scheduling.k8s.io/v1", ""),
    ("storage.k8s.io/v1beta1", "CSIDriver", (1, 19), (1, 22), "storage.k8s.io/v1", ""),
    ("storage.k8s.io/v1beta1", "CSINode", (1, 17), (1, 22), "storage.k8s.io/v1", ""),
    ("storage.k8s.io/v1beta1", "StorageClass", (1, 19), (1, 22), "storage.k8s.io/v1", ""),
    ("storage.k8s.io/v1beta1", "VolumeAttachment", (1, 19), (1, 22), "storage.k8s.io/v1", ""),
    # --- v1.25 ---
    ("batch/v1beta1", "CronJob", (1, 21), (1, 25), "batch/v1", ""),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", (1, 21), (1, 25), "discovery.k8s.io/v1",
     "v1: per-endpoint nodeName and zone replace topology (now deprecatedTopology, read-only)"),
    ("events.k8s.io/v1beta1", "Event", (1, 22), (1, 25), "events.k8s.io/v1",
     "v1: type Normal|Warning only; involvedObject -> regarding; action, reason, reportingController, "
     "reportingInstance required"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", (1, 22), (1, 25), "autoscaling/v2",
     "targetAverageUtilization -> target.type: Utilization + target.averageUtilization"),
    ("policy/v1beta1", "PodDisruptionBudget", (1, 21), (1, 25), "policy/v1",
     "policy/v1: an empty spec.selector {} selects every pod in the namespace (v1beta1: none)"),
    ("policy/v1beta1", "PodSecurityPolicy", (1, 21), (1, 25), None,
     "kind removed with its admission controller; use Pod Security Admission or a third-party admission webhook"),
    ("node.k8s.io/v1beta1", "RuntimeClass", (1, 22), (1, 25), "node.k8s.io/v1", ""),
    # --- v1.26 ---
    (_FC + "/v1beta1", "FlowSchema", (1, 23), (1, 26), _FC + "/v1",
     "v1 needs 1.29+ (guide: v1beta2; on 1.26-1.28 use v1beta3)"),
    (_FC + "/v1beta1", "PriorityLevelConfiguration", (1, 23), (1, 26), _FC + "/v1",
     "v1 needs 1.29+ (guide: v1beta2; on 1.26-1.28 use v1beta3); assuredConcurrencyShares -> nominalConcurrencyShares"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 23), (1, 26), "autoscaling/v2",
     "no field changes: v2beta2 already uses metrics[].resource.target and behavior, so only "
     "the apiVersion moves (the guide: \"No notable changes\")"),
    # --- v1.27 ---
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", (1, 24), (1, 27), "storage.k8s.io/v1", ""),
    # --- v1.29 ---
    (_FC + "/v1beta2", "FlowSchema", (1, 26), (1, 29), _FC + "/v1", "v1 needs 1.29+ (v1beta3 on 1.26-1.28)"),
    (_FC + "/v1beta2", "PriorityLevelConfiguration", (1, 26), (1, 29), _FC + "/v1",
     "spec.limited.assuredConcurrencyShares -> nominalConcurrencyShares; in v1 an explicit 0 is no longer defaulted to 30"),
    # --- v1.32 ---
    (_FC + "/v1beta3", "FlowSchema", (1, 29), (1, 32), _FC + "/v1", ""),
    (_FC + "/v1beta3", "PriorityLevelConfiguration", (1, 29), (1, 32), _FC + "/v1",
     "in v1 an explicit spec.limited.nominalConcurrencyShares 0 is no longer defaulted to 30"),
    # --- not in the guide: changelogs and prerelease-lifecycle tags ---
    ("batch/v2alpha1", "CronJob", None, (1, 21), "batch/v1", ""),
    ("rbac.authorization.k8s.io/v1alpha1", "ClusterRole", (1, 17), (1, 23), "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1alpha1", "ClusterRoleBinding", (1, 17), (1, 23), "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1alpha1", "Role", (1, 17), (1, 23), "rbac.authorization.k8s.io/v1", ""),
    ("rbac.authorization.k8s.io/v1alpha1", "RoleBinding", (1, 17), (1, 23), "rbac.authorization.k8s.io/v1", ""),
    ("scheduling.k8s.io/v1alpha1", "PriorityClass", (1, 14), (1, 23), "scheduling.k8s.io/v1", ""),
    ("node.k8s.io/v1alpha1", "RuntimeClass", None, (1, 24), "node.k8s.io/v1", ""),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", (1, 31), (1, 34),
     "admissionregistration.k8s.io/v1", ""),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", (1, 31), (1, 34),
     "admissionregistration.k8s.io/v1", ""),
)

DEPRECATIONS: tuple[Deprecation, ...] = tuple(Deprecation(*row) for row in _ROWS)

_BY_KEY: dict[tuple[str, str], Deprecation] = {(d.api_version, d.kind): d for d in DEPRECATIONS}
if len(_BY_KEY) != len(DEPRECATIONS):  # pragma: no cover - guards edits of the table
    raise ValueError("duplicate (apiVersion, kind) row in podlint.deprecations")


def lookup(api_version: str, kind: str) -> Deprecation | None:
    """The row for (apiVersion, kind), or None when it is neither deprecated nor removed."""
    return _BY_KEY.get((api_version, kind))


def status(api_version: str, kind: str, target: tuple[int, int]) -> tuple[str, Deprecation] | None:
    """("removed", row) when target >= removed_in; ("deprecated", row) when
    deprecated_in <= target < removed_in (or removed_in is None); otherwise None."""
    d = _BY_KEY.get((api_version, kind))
    if d is None:
        return None
    t = (target[0], target[1])
    if d.removed_in is not None and t >= d.removed_in:
        return ("removed", d)
    if d.deprecated_in is not None and t >= d.deprecated_in:
        return ("deprecated", d)
    return None


# Removed apiVersions whose successor has the same shape, so PL003 validates the
# object against the successor's schema instead of skipping it (a removed
# apiVersion must not hide a typo). Each entry lists what the move itself
# changes, which PL003 leaves to PL004's hint: ("missing", parent json path,
# field) for a field the successor requires, ("unknown", json path) for a field
# the successor dropped. Moves that reshape the object (HPA v2beta1, Ingress,
# CRD and webhook v1beta1, CSR, EndpointSlice, Event) are not listed: every
# migrated field would be reported.
_APPS_MOVE = (("missing", "spec", "selector"),)
SUCCESSOR_SCHEMA: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = {
    ("extensions/v1beta1", "Deployment"): _APPS_MOVE + (("unknown", "spec.rollbackTo"),),
    ("apps/v1beta1", "Deployment"): _APPS_MOVE + (("unknown", "spec.rollbackTo"),),
    ("apps/v1beta2", "Deployment"): _APPS_MOVE,
    ("extensions/v1beta1", "DaemonSet"): _APPS_MOVE + (("unknown", "spec.templateGeneration"),),
    ("apps/v1beta2", "DaemonSet"): _APPS_MOVE + (("unknown", "spec.templateGeneration"),),
    ("extensions/v1beta1", "ReplicaSet"): _APPS_MOVE,
    ("apps/v1beta2", "ReplicaSet"): _APPS_MOVE,
    ("apps/v1beta1", "StatefulSet"): _APPS_MOVE,
    ("apps/v1beta2", "StatefulSet"): _APPS_MOVE,
    ("batch/v1beta1", "CronJob"): (),
    ("batch/v2alpha1", "CronJob"): (),
    ("policy/v1beta1", "PodDisruptionBudget"): (),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): (),
    ("networking.k8s.io/v1beta1", "IngressClass"): (),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"): (),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"): (),
    ("rbac.authorization.k8s.io/v1beta1", "Role"): (),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding"): (),
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): (),
    ("storage.k8s.io/v1beta1", "StorageClass"): (),
    ("storage.k8s.io/v1beta1", "CSIDriver"): (),
    ("storage.k8s.io/v1beta1", "CSINode"): (),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"): (),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): (),
    ("coordination.k8s.io/v1beta1", "Lease"): (),
    ("apiregistration.k8s.io/v1beta1", "APIService"): (),
    ("node.k8s.io/v1beta1", "RuntimeClass"): (),
}


def successor(api_version: str, kind: str) -> tuple[str, tuple[tuple[str, ...], ...]] | None:
    """(successor apiVersion, what the move changes) when PL003 should validate a
    removed apiVersion against its successor's schema, else None."""
    moves = SUCCESSOR_SCHEMA.get((api_version, kind))
    row = _BY_KEY.get((api_version, kind))
    if moves is None or row is None or row.replacement is None:
        return None
    return row.replacement, moves
