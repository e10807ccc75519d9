"""Tests for podlint.deprecations (PL004 data)."""
import pytest

from podlint.deprecations import DEPRECATIONS, Deprecation, lookup, status

# (apiVersion, kind, removed_in, replacement): sampled from the deprecation guide.
SAMPLE = [
    ("extensions/v1beta1", "Deployment", (1, 16), "apps/v1"),
    ("apps/v1beta1", "Deployment", (1, 16), "apps/v1"),
    ("apps/v1beta2", "StatefulSet", (1, 16), "apps/v1"),
    ("extensions/v1beta1", "NetworkPolicy", (1, 16), "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy", (1, 16), None),
    ("batch/v1beta1", "CronJob", (1, 25), "batch/v1"),
    ("policy/v1beta1", "PodSecurityPolicy", (1, 25), None),
    ("policy/v1beta1", "PodDisruptionBudget", (1, 25), "policy/v1"),
    ("networking.k8s.io/v1beta1", "Ingress", (1, 22), "networking.k8s.io/v1"),
    ("extensions/v1beta1", "Ingress", (1, 22), "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "IngressClass", (1, 22), "networking.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", (1, 22), "rbac.authorization.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", (1, 22), "apiextensions.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", (1, 22),
     "admissionregistration.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSINode", (1, 22), "storage.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", (1, 25), "autoscaling/v2"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 26), "autoscaling/v2"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", (1, 25), "discovery.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", (1, 26), "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", (1, 29),
     "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", (1, 32), "flowcontrol.apiserver.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", (1, 27), "storage.k8s.io/v1"),
    ("batch/v2alpha1", "CronJob", (1, 21), "batch/v1"),
    ("rbac.authorization.k8s.io/v1alpha1", "Role", (1, 23), "rbac.authorization.k8s.io/v1"),
]


@pytest.mark.parametrize("api_version,kind,removed_in,replacement", SAMPLE)
def test_sample_rows(api_version, kind, removed_in, replacement):
    d = lookup(api_version, kind)
    assert isinstance(d, Deprecation)
    assert (d.api_version, d.kind) == (api_version, kind)
    assert d.removed_in == removed_in
    assert d.replacement == replacement


def test_apps_v1beta1_deployment_cites_guide_and_selector():
    # lifecycle-semantics.md section 10: report 1.16 (the guide), not the code's 1.18.
    d = lookup("apps/v1beta1", "Deployment")
    assert d.deprecated_in == (1, 8)
    assert d.removed_in == (1, 16)
    assert "spec.selector" in d.note


@pytest.mark.parametrize("api_version,kind", [
    ("apps/v1", "Deployment"),
    ("v1", "Pod"),
    ("batch/v1", "CronJob"),
    ("networking.k8s.io/v1", "Ingress"),
    ("apps/v1beta1", "DaemonSet"),          # apps/v1beta1 never served DaemonSet
    ("example.com/v1alpha1", "Widget"),
    ("", ""),
])
def test_unknown_or_current_pairs(api_version, kind):
    assert lookup(api_version, kind) is None
    assert status(api_version, kind, (1, 37)) is None
    assert status(api_version, kind, (1, 10)) is None


def test_kind_and_version_are_case_sensitive():
    assert lookup("extensions/v1beta1", "deployment") is None
    assert lookup("Extensions/v1beta1", "Deployment") is None


def test_status_boundaries_cronjob():
    d = lookup("batch/v1beta1", "CronJob")
    assert d.deprecated_in == (1, 21)
    assert status("batch/v1beta1", "CronJob", (1, 25)) == ("removed", d)
    assert status("batch/v1beta1", "CronJob", (1, 37)) == ("removed", d)
    assert status("batch/v1beta1", "CronJob", (1, 24)) == ("deprecated", d)
    assert status("batch/v1beta1", "CronJob", (1, 21)) == ("deprecated", d)
    assert status("batch/v1beta1", "CronJob", (1, 20)) is None


def test_status_boundaries_extensions_deployment():
    d = lookup("extensions/v1beta1", "Deployment")
    assert status("extensions/v1beta1", "Deployment", (1, 16)) == ("removed", d)
    assert status("extensions/v1beta1", "Deployment", (1, 15)) == ("deprecated", d)
    assert status("extensions/v1beta1", "Deployment", (1, 8)) == ("deprecated", d)
    assert status("extensions/v1beta1", "Deployment", (1, 7)) is None


@pytest.mark.parametrize("api_version,kind,removed", [
    ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", (1, 29)),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", (1, 32)),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", (1, 27)),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", (1, 26)),
])
def test_status_one_below_removal_is_deprecated(api_version, kind, removed):
    assert status(api_version, kind, removed)[0] == "removed"
    assert status(api_version, kind, (removed[0], removed[1] - 1))[0] == "deprecated"


def test_status_unknown_deprecation_version():
    # batch/v2alpha1 has no recorded deprecation: only "removed" is ever reported.
    assert status("batch/v2alpha1", "CronJob", (1, 20)) is None
    assert status("batch/v2alpha1", "CronJob", (1, 21))[0] == "removed"


def test_status_only_deprecated_row(monkeypatch):
    import podlint.deprecations as mod
    row = Deprecation("example/v1beta1", "Thing", (1, 30), None, "example/v1", "")
    monkeypatch.setitem(mod._BY_KEY, ("example/v1beta1", "Thing"), row)
    assert status("example/v1beta1", "Thing", (1, 29)) is None
    assert status("example/v1beta1", "Thing", (1, 30)) == ("deprecated", row)
    assert status("example/v1beta1", "Thing", (1, 99)) == ("deprecated", row)


def test_table_is_consistent():
    keys = [(d.api_version, d.kind) for d in DEPRECATIONS]
    assert len(keys) == len(set(keys))
    for d in DEPRECATIONS:
        assert d.removed_in is not None or d.deprecated_in is not None, d
        if d.removed_in is not None and d.deprecated_in is not None:
            assert d.deprecated_in <= d.removed_in, d
        assert d.replacement != d.api_version, d
        assert "\n" not in d.note, d
        assert lookup(d.api_version, d.kind) is d


def test_guide_groups_all_covered():
    groups = {d.api_version.rsplit("/", 1)[0] if "/" in d.api_version else "" for d in DEPRECATIONS}
    assert {
        "extensions", "apps", "batch", "policy", "autoscaling", "networking.k8s.io",
        "rbac.authorization.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
        "apiextensions.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io",
        "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io",
        "coordination.k8s.io", "events.k8s.io", "node.k8s.io", "discovery.k8s.io",
        "flowcontrol.apiserver.k8s.io",
    } <= groups


def test_rows_are_frozen():
    d = lookup("batch/v1beta1", "CronJob")
    with pytest.raises(AttributeError):
        d.removed_in = (1, 99)
