"""The rollout model against the controllers' own unit tests.

Each table mirrors a test of kubernetes/kubernetes, named in the test's
docstring, so that a change here that departs from the controller fails with
the controller's own numbers. The stepping tests check whole rollouts worked
out by hand from the same functions (docs/rollout.md shows them).
"""
import pytest

from podlint.rollout import (
    RolloutError, daemonset_rollout, deployment_fenceposts, deployment_rollout,
    new_rs_new_replicas, pdb_allowed_disruptions, reconcile_old_replica_sets,
    resolve_fenceposts, scale_down_old_for_rolling_update, scaled_value,
    statefulset_max_unavailable, statefulset_rollout, step_rolling_update,
)
from podlint.finding import Location
from podlint.timeline import Bounds
from podlint.workloads import Strategy


def strategy(type="RollingUpdate", surge="25%", unavailable="25%", min_ready=0, deadline=600, timeout=None):
    """A Strategy as workloads.read_strategy returns it (defaults applied)."""
    return Strategy(type, type, surge, unavailable, timeout, deadline, min_ready, Location("t.yaml", 1, 1))


@pytest.mark.parametrize("surge, unavailable, desired, expected", [
    ("0%", "0%", 0, (0, 1)),
    ("39%", "39%", 10, (4, 3)),
    (None, "39%", 10, (0, 3)),
    ("39%", None, 10, (4, 0)),
    (None, None, 10, (0, 1)),
    ("25%", "25%", 8, (2, 2)),
    (1, 1, 2, (1, 1)),
])
def test_resolve_fenceposts(surge, unavailable, desired, expected):
    """deployment_util_test.go TestResolveFenceposts: surge rounds up,
    unavailable down, both zero gives unavailable 1."""
    assert resolve_fenceposts(surge, unavailable, desired) == expected


@pytest.mark.parametrize("surge, unavailable", [("oops", "39%"), ("55%", "urg"), ("5", "1")])
def test_resolve_fenceposts_rejects_what_the_controller_rejects(surge, unavailable):
    """TestResolveFenceposts's error rows: a string must be a percentage."""
    with pytest.raises(RolloutError):
        resolve_fenceposts(surge, unavailable, 10)


@pytest.mark.parametrize("replicas, unavailable, expected", [
    (10, 5, 5), (10, 10, 10), (5, 10, 5), (0, 10, 0), (10, "50%", 5), (10, "100%", 10), (5, "100%", 5),
])
def test_max_unavailable(replicas, unavailable, expected):
    """deployment_util_test.go TestMaxUnavailable (maxSurge 1): capped at
    replicas, 0 for a Deployment of 0 replicas."""
    assert deployment_fenceposts(1, unavailable, replicas)[1] == expected


@pytest.mark.parametrize("replicas, new, surge, expected", [(1, 5, 1, 1), (6, 2, 10, 6)])
def test_new_rs_new_replicas(replicas, new, surge, expected):
    """deployment_util_test.go TestNewRSNewReplicas with an old ReplicaSet of 5
    (the first row returns the new set's 5, which reconcileNewReplicaSet then
    scales down to the Deployment's 1, its 'Should scale down' case)."""
    assert new_rs_new_replicas(replicas, surge, 5, new) == expected


@pytest.mark.parametrize("replicas, surge, old, new, expected", [
    (10, 0, 10, 0, 0),        # should not scale up
    (10, 2, 10, 0, 2),
    (10, 2, 5, 0, 7),
    (10, 2, 10, 2, 2),
    (10, 2, 2, 11, 10),       # should scale down
])
def test_reconcile_new_replica_set(replicas, surge, old, new, expected):
    """rolling_test.go TestDeploymentController_reconcileNewReplicaSet."""
    assert new_rs_new_replicas(replicas, surge, old, new) == expected


@pytest.mark.parametrize("replicas, unavailable, old, new, old_ready, new_ready, expected_old", [
    (10, 0, 10, 0, 10, 0, 9),     # maxUnavailable 0 with maxSurge 0 resolves to 1
    (10, 2, 10, 0, 10, 0, 8),
    (10, 2, 10, 0, 8, 0, 8),      # unhealthy old replicas cleaned up
    (10, 2, 10, 0, 9, 0, 8),      # one unhealthy cleaned up, one ready scaled down
    (10, 2, 8, 2, 8, 0, 8),       # the new set's unavailable pods block further scale-down
])
def test_reconcile_old_replica_sets(replicas, unavailable, old, new, old_ready, new_ready, expected_old):
    """rolling_test.go TestDeploymentController_reconcileOldReplicaSets (maxSurge 0)."""
    _, unavailable = deployment_fenceposts(0, unavailable, replicas)
    assert reconcile_old_replica_sets(replicas, unavailable, old, new, old_ready, new_ready) == expected_old


@pytest.mark.parametrize("unavailable, ready, old, expected_down", [(0, 10, 10, 1), (2, 10, 10, 2), (2, 8, 10, 0), (2, 1, 10, 0)])
def test_scale_down_old_for_rolling_update(unavailable, ready, old, expected_down):
    """rolling_test.go TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate
    (10 replicas, maxSurge 0)."""
    _, unavailable = deployment_fenceposts(0, unavailable, 10)
    assert scale_down_old_for_rolling_update(10, unavailable, old, ready) == expected_down


def test_default_rolling_update_of_ten_replicas():
    """25 %/25 % of 10: surge 3, unavailable 2; two waves (worked in docs/rollout.md)."""
    assert step_rolling_update(10, 3, 2) == [(8, 5, 8), (3, 10, 8), (0, 10, 10)]


def test_one_replica_default_strategy_keeps_the_old_pod_until_the_new_is_available():
    ready = Bounds(4, 40)
    rollout = deployment_rollout(1, strategy(), ready, Bounds(0, 32))
    assert (rollout.replicas, rollout.max_surge, rollout.max_unavailable) == (1, 1, 0)
    assert (rollout.max_pods, rollout.min_available, rollout.waves) == (2, 1, 1)
    assert rollout.duration == Bounds(4, 40)
    assert rollout.progress_deadline == 600 and rollout.stall is None


def test_max_unavailable_equal_to_replicas_leaves_no_pod_available():
    rollout = deployment_rollout(2, strategy(surge=0, unavailable=2), Bounds(1, 10), Bounds(0, 32))
    assert rollout.min_available == 0 and rollout.waves == 1


def test_min_ready_seconds_adds_to_every_wave_and_the_deadline_is_per_wave():
    rollout = deployment_rollout(3, strategy(min_ready=30, deadline=60), Bounds(10, 45), Bounds(0, 32))
    assert rollout.pod_ready == Bounds(40, 75)
    assert rollout.waves == 3 and rollout.duration == Bounds(120, 225)
    assert rollout.stall and not rollout.stall_certain
    certain = deployment_rollout(3, strategy(min_ready=30, deadline=35), Bounds(10, 45), Bounds(0, 32))
    assert certain.stall_certain


def test_recreate_waits_for_every_old_pod_to_be_gone():
    """recreate.go rolloutRecreate: scale down, wait for no old pod, scale up."""
    rollout = deployment_rollout(4, strategy("Recreate", None, None), Bounds(5, None), Bounds(2, 32))
    assert rollout.strategy == "Recreate" and rollout.min_available == 0
    assert rollout.duration == Bounds(7, None)
    assert [(s.old, s.new, s.available) for s in rollout.steps] == [(0, 0, 0), (0, 4, 0), (0, 4, 4)]


def test_deployment_config_timeout_plays_the_deadline():
    """A DeploymentConfig's rollingParams.timeoutSeconds ends a slow wave in a rollback."""
    rollout = deployment_rollout(2, strategy(deadline=None, timeout=60), Bounds(70, 90), Bounds(0, 1))
    assert rollout.stall_certain and "rolled back" in rollout.stall


@pytest.mark.parametrize("value, replicas, expected", [(None, 10, 1), (2, 10, 2), ("50%", 10, 5), ("10%", 5, 1), ("35%", 10, 3)])
def test_statefulset_max_unavailable(value, replicas, expected):
    """stateful_set_control.go getStatefulSetMaxUnavailable: default 1, a
    percentage rounds down, at least 1."""
    assert statefulset_max_unavailable(value, replicas) == expected


def test_statefulset_ordered_ready_one_pod_at_a_time_down_to_the_partition():
    rollout = statefulset_rollout(5, strategy(surge=None, unavailable=1, min_ready=5, deadline=None), 2, False,
                                  Bounds(10, 20), Bounds(1, 32), (1, 35))
    assert rollout.waves == 3
    assert rollout.duration == Bounds(3 * 16, 3 * 57)
    assert rollout.min_available == 4


def test_statefulset_max_unavailable_needs_1_35():
    parallel = strategy(surge=None, unavailable=2, deadline=None)
    assert statefulset_rollout(4, parallel, 0, True, Bounds(1, 1), Bounds(1, 1), (1, 35)).waves == 2
    older = statefulset_rollout(4, parallel, 0, True, Bounds(1, 1), Bounds(1, 1), (1, 34))
    assert older.waves == 4 and "ignored before 1.35" in older.notes[0]


def test_statefulset_on_delete_has_no_automatic_rollout():
    rollout = statefulset_rollout(1, strategy("OnDelete", None, None, deadline=None), 0, False,
                                  Bounds(1, 1), Bounds(1, 1), (1, 35))
    assert rollout.strategy == "OnDelete" and rollout.duration is None and rollout.waves == 0


def test_daemonset_batches_over_the_assumed_nodes():
    """daemon/util.go UnavailableCount and SurgeCount round percentages up."""
    rollout = daemonset_rollout(strategy(surge=0, unavailable="10%", deadline=None), 25, Bounds(5, 20), Bounds(1, 32))
    assert (rollout.max_unavailable, rollout.waves) == (3, 9)
    surge = daemonset_rollout(strategy(surge=2, unavailable=0, deadline=None), 4, Bounds(5, 20), Bounds(1, 32))
    assert (surge.max_surge, surge.waves, surge.max_pods, surge.min_available) == (2, 2, 6, 4)


def test_daemonset_without_node_count_gives_the_formula():
    rollout = daemonset_rollout(strategy(surge=0, unavailable=1, deadline=None), None, Bounds(5, 20), Bounds(1, 32))
    assert rollout.waves is None and "ceil(nodes / maxUnavailable 1)" in rollout.notes[0]


@pytest.mark.parametrize("spec, pods, expected", [
    ({"minAvailable": 1}, 1, 0),
    ({"minAvailable": 1}, 3, 2),
    ({"minAvailable": "50%"}, 3, 1),      # 1.5 rounds up to 2 desired healthy
    ({"maxUnavailable": 0}, 5, 0),
    ({"maxUnavailable": "30%"}, 5, 2),    # 1.5 rounds up
    ({"maxUnavailable": 1}, 1, 1),
    ({}, 3, None),
])
def test_pdb_allowed_disruptions(spec, pods, expected):
    """disruption.go getExpectedScale and computeDesiredHealthy (scaled values round up)."""
    assert pdb_allowed_disruptions(spec, pods) == expected


def test_scaled_value():
    assert scaled_value("25%", 3, True) == 1 and scaled_value("25%", 3, False) == 0
    assert scaled_value(True, 3, True) is None and scaled_value("x", 3, True) is None


def test_nodes_assumption_is_a_whole_count():
    from podlint.assumptions import AssumptionError, validate_assumptions

    validate_assumptions([("nodes", "20")])
    for bad in ("0", "2.5", "20s", "many"):
        with pytest.raises(AssumptionError, match="node count"):
            validate_assumptions([("nodes", bad)])


def test_daemonset_rollout_over_the_assumed_nodes_through_the_cli(tmp_path):
    from click.testing import CliRunner

    from podlint.cli import cli

    manifest = tmp_path / "ds.yaml"
    manifest.write_text(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n"
        "  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n"
        "    spec:\n      containers: [{name: agent, image: \"example/agent:1\"}]\n")
    from podlint.api import Context  # noqa: F401  (the rule surface exposes the rollout)
    from podlint.config import Settings
    from podlint.loader import Source, load_source
    from podlint.model import model_document

    doc = load_source(Source(str(manifest))).documents[0]
    workload, pod, _ = model_document(doc)
    settings = Settings(assume_cli=(("nodes", "7"),))
    ctx = Context(settings, doc, workload, pod)
    assert (ctx.rollout.replicas, ctx.rollout.waves) == (7, 7)
    result = CliRunner().invoke(cli, ["explain", str(manifest), "--assume", "nodes=7"])
    assert result.exit_code in (0, 1), result.output


def test_explain_json_disruption_names_the_budget_and_autoscaler_in_scope():
    """design.md 8: allowed disruptions at full scale (the autoscaler's maximum) and at its minimum."""
    import json

    from click.testing import CliRunner

    from podlint.cli import cli
    from tests.helpers import ROOT

    path = "tests/fixtures/rules/PL604/fail_budget_at_hpa_minimum.yaml"
    import os
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, ["explain", path, "-f", "json"])
    finally:
        os.chdir(old)
    (workload,) = json.loads(result.stdout)["workloads"]
    assert workload["disruption"] == {
        "budgets": [{"name": "zookeeper-pdb", "path": path, "line": 24, "rule": "minAvailable 2", "pods": 7,
                     "allowed_disruptions": 5, "allowed_at_hpa_minimum": 0}],
        "autoscalers": [{"name": "zookeeper-hpa", "path": path, "line": 34, "min_replicas": 1, "max_replicas": 7}],
        "allowed_disruptions": 5, "allowed_at_hpa_minimum": 0, "drain_can_evict": True}


def test_a_budget_that_allows_nothing_means_no_drain_can_evict(tmp_path):
    from podlint.config import Settings
    from podlint.explain import collect

    path = tmp_path / "app.yaml"
    path.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  selector: {matchLabels: {app: api}}\n"
        "  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: \"a:1\"}]\n"
        "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api}\n"
        "spec:\n  minAvailable: 1\n  selector: {matchLabels: {app: api}}\n")
    (item,), status = collect([str(path)], Settings())
    assert item.disruption["allowed_disruptions"] == 0 and item.disruption["drain_can_evict"] is False
    assert [f.code for f in item.findings if f.code.startswith("PL6")] == []   # PL603 is on the budget
