"""Application scope (design.md 7, podlint/scope.py): cross-object facts relate
only objects of one namespace and one folder, stream or kustomization, and the
findings that rest on another object name it and where it is."""
from __future__ import annotations

import shutil
from pathlib import Path

from podlint.config import settings_from_mapping
from podlint.registry import all_rules
from podlint.run import lint_paths
from podlint.scope import STDIN, Place, Scopes, read_kustomization

ROOT = Path(__file__).resolve().parent.parent
SCOPE = ROOT / "tests" / "fixtures" / "scope"


def lint(paths, *codes):
    settings = settings_from_mapping({"select": list(codes)}, all_rules())
    return lint_paths([str(p) for p in paths], settings, jobs=1).findings


# ----------------------------------------------------------------------------- the cases

def test_services_of_an_unrelated_folder_do_not_select_the_kube_score_pods():
    # Before scoping, both pods were "selected by a Service": the multi-label pod by
    # Service "front" (its own Service selects another app), the StatefulSet by "foo".
    assert lint([SCOPE], "PL201", "PL301") == []


def test_a_matching_service_in_the_same_folder_relates_and_is_named(tmp_path):
    shutil.copy(SCOPE / "kube-score" / "statefulset-host-antiaffinity-1-replica.yaml", tmp_path)
    shutil.copy(SCOPE / "other-app" / "service.yaml", tmp_path)
    findings = lint([tmp_path], "PL201", "PL301")
    # (no PL301: the StatefulSet's single pod stops alone, with no other endpoint to hand over to)
    assert [(f.code, f.location.line, f.container) for f in findings] == [("PL201", 17, "foobar")]
    assert f'receives traffic from Service "foo" ({tmp_path / "service.yaml"}:17)' in findings[0].message


def test_a_namespace_or_a_bundled_file_keeps_services_apart(tmp_path):
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT)
    (tmp_path / "svc.yaml").write_text(SERVICE.replace("name: web", "name: web, namespace: prod"))
    assert lint([tmp_path], "PL301") == []                       # explicit vs namespace-less
    (tmp_path / "svc.yaml").write_text(SERVICE + "---\n" + DEPLOYMENT.replace("name: web", "name: other"))
    # svc.yaml bundles its Service with a workload: a closed stream; the Deployment
    # of that file is served, the one in deploy.yaml is not.
    assert [f.location.path for f in lint([tmp_path], "PL301")] == [str(tmp_path / "svc.yaml")]
    (tmp_path / "svc.yaml").write_text(SERVICE)
    [finding] = lint([tmp_path], "PL301")
    assert finding.location.path == str(tmp_path / "deploy.yaml")


DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 80}]
"""
SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


def test_a_kustomization_ties_folders(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "overlay").mkdir()
    (tmp_path / "base" / "deploy.yaml").write_text(DEPLOYMENT)
    (tmp_path / "overlay" / "svc.yaml").write_text(SERVICE)
    assert lint([tmp_path], "PL301") == []
    (tmp_path / "overlay" / "kustomization.yaml").write_text(
        "resources:\n  - ../base\n  - svc.yaml\nnamespace: shop\n")
    [finding] = lint([tmp_path], "PL301")
    assert finding.location.path == str(tmp_path / "base" / "deploy.yaml")
    assert str(tmp_path / "overlay" / "svc.yaml") in finding.message


# ----------------------------------------------------------------------------- PL507 and kustomize

DISPATCHER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: dispatcher}
spec:
  selector: {matchLabels: {app: dispatcher}}
  template:
    metadata: {labels: {app: dispatcher}}
    spec:
      containers:
        - name: dispatcher
          image: example/dispatcher:1.0
          env:
            - name: ANTHROPIC_ENVIRONMENT_ID
              valueFrom:
                configMapKeyRef:
                  name: anthropic-env
                  key: environment_id
"""


def test_pl507_counts_generators_of_a_kustomization_in_scope(tmp_path):
    # After ../shared/corpus/GoogleCloudPlatform__kubernetes-engine-samples/
    # ai-ml__anthropic-agent-sandbox__deploy__base__{dispatcher,kustomization}.yaml
    base = tmp_path / "deploy" / "base"
    base.mkdir(parents=True)
    (base / "dispatcher.yaml").write_text(DISPATCHER)
    [finding] = lint([tmp_path], "PL507")
    assert (finding.location.line, finding.location.column) == (16, 25)      # the name's value
    assert finding.message == ('ConfigMap "anthropic-env" (env ANTHROPIC_ENVIRONMENT_ID) is not '
                               "defined in the linted files")
    (base / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: agent-sandbox\n"
        "resources:\n  - dispatcher.yaml\nconfigMapGenerator:\n  - name: anthropic-env\n"
        "    options:\n      disableNameSuffixHash: true\n    literals: [environment_id=x]\n")
    assert lint([tmp_path], "PL507") == []
    # an overlay's generator reaches the base through `resources: [../../base]`
    (base / "kustomization.yaml").write_text("resources:\n  - dispatcher.yaml\n")
    overlay = tmp_path / "deploy" / "overlays" / "prod"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text(
        "resources:\n  - ../../base\nconfigMapGenerator:\n  - name: anthropic-env\n"
        "    envs: [params.env]\n")
    assert lint([tmp_path], "PL507") == []


def test_pl507_a_generator_elsewhere_does_not_count(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "app" / "dispatcher.yaml").write_text(DISPATCHER)
    (tmp_path / "other" / "kustomization.yaml").write_text(
        "configMapGenerator:\n  - name: anthropic-env\n    literals: [a=b]\n")
    assert len(lint([tmp_path], "PL507")) == 1


# ----------------------------------------------------------------------------- the pure pieces

def test_scope_keys_and_namespaces():
    k = read_kustomization("apps/overlay/kustomization.yaml",
                           {"namespace": "prod", "resources": ["../base", "svc.yaml",
                                                               "https://github.com/x/y"],
                            "secretGenerator": [{"name": "keys"}]})
    assert k.folders == ("apps/base",) and k.files == ("apps/overlay/svc.yaml",)
    scopes = Scopes([k])
    assert ("kustomization", k.path) in scopes.keys("apps/base/deploy.yaml")
    assert scopes.keys(STDIN) == frozenset({("stream", STDIN)})
    # tied through a kustomization that sets a namespace: one namespace whatever the metadata says
    assert scopes.related(Place("apps/base/deploy.yaml", None), Place("apps/overlay/svc.yaml", "x"))
    assert not scopes.related(Place("a/d.yaml", None), Place("a/s.yaml", "x"))
    assert scopes.related(Place("a/d.yaml", None), Place("a/s.yaml", "x"), maybe=True)
    assert not scopes.related(Place("a/d.yaml", None), Place("b/s.yaml", None), maybe=True)
    assert not scopes.related(Place(STDIN, None), Place("d.yaml", None))
    assert [(g.kind, g.name, p.namespace) for g, p in scopes.generated()] == [("Secret", "keys", "prod")]


def test_pl507_a_namespace_less_definition_may_share_the_pods_namespace(tmp_path):
    # ../shared/corpus/bridgecrewio__checkov/tests__kubernetes__checks__example_KubernetesDashboard__
    # kube-dashboard-FAILED.yaml: helm output with the ServiceAccount in "default" and the
    # Deployment without a namespace. Absence is claimed only when no scope could hold it.
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: dash, namespace: default}\n---\n"
        + DEPLOYMENT.replace("    spec:\n", "    spec:\n      serviceAccountName: dash\n"))
    assert lint([tmp_path], "PL507") == []
    (tmp_path / "a.yaml").write_text((tmp_path / "a.yaml").read_text().replace(
        "metadata: {name: web}", "metadata: {name: web, namespace: prod}"))
    [finding] = lint([tmp_path], "PL507")
    assert finding.message == ('ServiceAccount "dash" (serviceAccountName) is not defined in the '
                               'linted files in namespace "prod"')


# ----------------------------------------------------------------------------- PL508

def test_pl508_names_the_selected_pods_and_needs_them_in_scope(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "svc.yaml").write_text(SERVICE.replace("[{port: 80}]",
                                                               "[{port: 80, targetPort: http}]"))
    assert lint([tmp_path], "PL508") == []               # no pod it selects is linted
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "deploy.yaml").write_text(DEPLOYMENT)
    assert lint([tmp_path], "PL508") == []               # pods of another folder do not count
    (tmp_path / "app" / "deploy.yaml").write_text(DEPLOYMENT)
    [finding] = lint([tmp_path], "PL508")
    assert (finding.location.line, finding.location.column, finding.severity) == (6, 34, "error")
    assert finding.message == (
        'Service "web" port 80 targets the named port "http", but no container of the pods it '
        f'selects (Deployment "web" ({tmp_path / "app" / "deploy.yaml"}:3)) declares a TCP port '
        "of that name: the Service gets no endpoints for this port")
    (tmp_path / "app" / "deploy.yaml").write_text(
        DEPLOYMENT.replace("{containerPort: 80}", "{name: http, containerPort: 80}"))
    assert lint([tmp_path], "PL508") == []


def test_stdin_is_one_stream_of_its_own(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from podlint.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc.yaml").write_text(SERVICE)          # beside the cwd, but not the stream
    args = ["lint", "--no-config", "--select", "PL301", "-f", "json"]
    alone = CliRunner().invoke(cli, args + ["-", "svc.yaml"], input=DEPLOYMENT)
    assert '"findings": []' in alone.stdout
    both = CliRunner().invoke(cli, args + ["-"], input=DEPLOYMENT + "---\n" + SERVICE)
    assert 'receives traffic from Service \\"web\\" (<stdin>:16)' in both.stdout
