"""`podlint fix` on real shapes of manifests: block and flow style, CRLF, a UTF-8
BOM, JSON, multi-document streams with comments and `...`; idempotency, --diff,
stdin, atomic writes, suppressions, refusals, exit codes; and that lint,
explain and graph never write."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.run import lint_text
from tests.helpers import ROOT

# Trimmed from the corpus: kubernetes__examples/_archived__guestbook__redis-master-deployment.yaml
# shape (a Deployment with comments and a flow-style sidecar), with a second
# document after comments and an explicit end marker.
MULTI = """\
# Redis for the guestbook
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-master
spec:
  selector:
    matchLabels: {app: redis}
  template:
    metadata:
      labels: {app: redis}
    spec:
      containers:
      - name: master   # the primary
        image: registry.k8s.io/redis:e2e
        ports:
        - containerPort: 6379
        # resources come later
      - {name: exporter, image: "oliver006/redis_exporter:v1.62.0"}
...
# the service, kept as it was
---
apiVersion: v1
kind: Service
metadata: {name: redis}
spec:
  ports: [{port: 6379}]
  selector: {app: redis}
"""
MULTI_FIXED = MULTI.replace(
    "        - containerPort: 6379\n",
    "        - containerPort: 6379\n        terminationMessagePolicy: FallbackToLogsOnError\n").replace(
    'image: "oliver006/redis_exporter:v1.62.0"}',
    'image: "oliver006/redis_exporter:v1.62.0", terminationMessagePolicy: FallbackToLogsOnError}')

JSON_POD = """\
{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web"},
    "spec": {
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27"
            }
        ]
    }
}"""


def invoke(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def fix_file(path, *args) -> tuple[int, str]:
    result = invoke("fix", "--no-config", *args, str(path))
    return result.exit_code, result.output


# ----------------------------------------------------------------------------- shapes

def test_block_and_flow_containers_in_a_multi_document_stream(work):
    (work / "redis.yaml").write_text(MULTI)
    code, _ = fix_file(work / "redis.yaml")
    assert code == 0
    assert (work / "redis.yaml").read_text() == MULTI_FIXED
    assert not [f for f in lint_text(MULTI_FIXED) if f.code == "PL401"]


def test_second_run_changes_nothing(work):
    (work / "redis.yaml").write_text(MULTI)
    fix_file(work / "redis.yaml")
    first = (work / "redis.yaml").read_bytes()
    code, output = fix_file(work / "redis.yaml")
    assert code == 0 and (work / "redis.yaml").read_bytes() == first
    assert "fixed 0 findings in 0 files" in output


def test_crlf_line_endings_and_missing_final_newline_are_kept(work):
    text = MULTI.replace("\n", "\r\n").rstrip("\r\n")
    (work / "crlf.yaml").write_bytes(text.encode())
    assert fix_file(work / "crlf.yaml")[0] == 0
    expected = MULTI_FIXED.replace("\n", "\r\n").rstrip("\r\n")
    assert (work / "crlf.yaml").read_bytes() == expected.encode()


def test_utf8_bom_is_kept(work):
    (work / "bom.yaml").write_bytes(b"\xef\xbb\xbf" + MULTI.encode())
    assert fix_file(work / "bom.yaml")[0] == 0
    assert (work / "bom.yaml").read_bytes() == b"\xef\xbb\xbf" + MULTI_FIXED.encode()


def test_utf16_with_bom_is_written_back_as_utf16(work):
    (work / "wide.yaml").write_bytes(MULTI.encode("utf-16"))
    assert fix_file(work / "wide.yaml")[0] == 0
    data = (work / "wide.yaml").read_bytes()
    assert data[:2] == MULTI.encode("utf-16")[:2] and data.decode("utf-16") == MULTI_FIXED


def test_json_stays_json_in_its_own_indentation(work):
    (work / "pod.json").write_text(JSON_POD)
    assert fix_file(work / "pod.json")[0] == 0
    fixed = (work / "pod.json").read_text()
    assert fixed == JSON_POD.replace(
        '"image": "nginx:1.27"\n',
        '"image": "nginx:1.27",\n                "terminationMessagePolicy": "FallbackToLogsOnError"\n')
    assert json.loads(fixed)["spec"]["containers"][0]["terminationMessagePolicy"] == \
        "FallbackToLogsOnError"


def test_a_written_file_policy_is_replaced_in_its_quotes(work):
    text = MULTI.replace("        image: registry.k8s.io/redis:e2e\n",
                         "        image: registry.k8s.io/redis:e2e\n"
                         "        terminationMessagePolicy: 'File'  # default\n")
    (work / "m.yaml").write_text(text)
    fix_file(work / "m.yaml", "--select", "PL401")
    assert "        terminationMessagePolicy: 'FallbackToLogsOnError'  # default\n" in \
        (work / "m.yaml").read_text()


def test_block_scalar_as_the_last_key_gets_the_new_key_after_it(work):
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "    - name: app\n      image: busybox:1.36\n      args:\n        - |\n"
            "          echo hi\n          # not a comment: part of the script\n\n"
            "# trailing comment\n")
    (work / "p.yaml").write_text(text)
    assert fix_file(work / "p.yaml")[0] == 0
    assert (work / "p.yaml").read_text() == text.replace(
        "# not a comment: part of the script\n",
        "# not a comment: part of the script\n      terminationMessagePolicy: FallbackToLogsOnError\n")


def test_quoted_apiversion_keeps_its_quotes_and_gains_a_selector(work):
    text = ('apiVersion: "extensions/v1beta1"\nkind: DaemonSet\nmetadata: {name: agent}\n'
            "spec:\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n"
            "      containers:\n        - name: agent\n          image: example/agent:1\n"
            "          terminationMessagePolicy: FallbackToLogsOnError\n")
    (work / "ds.yaml").write_text(text)
    assert fix_file(work / "ds.yaml", "--select", "PL004")[0] == 0
    assert (work / "ds.yaml").read_text() == text.replace(
        '"extensions/v1beta1"', '"apps/v1"').replace(
        "spec:\n  template:", "spec:\n  selector:\n    matchLabels:\n      app: agent\n  template:")


def test_removed_fields_and_unmechanical_kinds_are_left_alone(work):
    text = ("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: w}\n"
            "spec:\n  rollbackTo: {revision: 1}\n  template:\n    metadata: {labels: {app: w}}\n"
            "    spec:\n      containers: [{name: a, image: x, terminationMessagePolicy: "
            "FallbackToLogsOnError}]\n---\napiVersion: policy/v1beta1\nkind: PodSecurityPolicy\n"
            "metadata: {name: p}\nspec: {}\n---\napiVersion: policy/v1beta1\n"
            "kind: PodDisruptionBudget\nmetadata: {name: d}\nspec: {minAvailable: 1, selector: {}}\n")
    (work / "old.yaml").write_text(text)
    code, _ = fix_file(work / "old.yaml", "--select", "PL004")
    assert code == 0 and (work / "old.yaml").read_text() == text


# ----------------------------------------------------------------------------- safety

def test_a_suppressed_finding_is_not_fixed(work):
    text = MULTI.replace("      - name: master   # the primary",
                         "      # podlint: ignore=PL401\n      - name: master   # the primary")
    (work / "s.yaml").write_text(text)
    fix_file(work / "s.yaml")
    fixed = (work / "s.yaml").read_text()
    assert fixed.count("FallbackToLogsOnError") == 1 and "redis_exporter:v1.62.0\", termination" in fixed


def test_select_limits_the_fixes(work):
    (work / "redis.yaml").write_text(MULTI)
    code, output = fix_file(work / "redis.yaml", "--select", "PL204")
    assert code == 0 and (work / "redis.yaml").read_text() == MULTI
    code, output = fix_file(work / "redis.yaml", "--select", "nope")
    assert code == 2 and "unknown rule" in output


EXEC_SLEEP = """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      terminationMessagePolicy: FallbackToLogsOnError
      lifecycle:
        preStop:
          exec: {command: ["sleep", "60"]}
"""


def test_a_fix_that_would_bring_another_finding_is_refused(work):
    # Raising the grace above the sleep lets PL306 suggest the native action:
    # with PL302 alone that is a new finding, so nothing is written.
    (work / "p.yaml").write_text(EXEC_SLEEP)
    code, output = fix_file(work / "p.yaml", "--select", "PL302")
    assert code == 0 and (work / "p.yaml").read_text() == EXEC_SLEEP
    assert "PL302 not fixed: PL306 would be reported after the fix" in output


def test_with_both_rules_the_second_round_fixes_what_the_first_brought(work):
    (work / "p.yaml").write_text(EXEC_SLEEP)
    code, output = fix_file(work / "p.yaml")
    assert code == 0
    assert (work / "p.yaml").read_text() == EXEC_SLEEP.replace(
        "  containers:\n", "  terminationGracePeriodSeconds: 65\n  containers:\n").replace(
        'exec: {command: ["sleep", "60"]}', "sleep: {seconds: 60}")
    assert not [f for f in lint_text((work / "p.yaml").read_text()) if f.code in ("PL302", "PL306")]


def test_an_unparsable_file_is_an_error_and_the_others_are_still_fixed(work):
    (work / "a.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n")
    (work / "b.yaml").write_text(MULTI)
    code, output = fix_file(work)
    assert code == 2 and "a.yaml: error:" in output
    assert (work / "b.yaml").read_text() == MULTI_FIXED


# ----------------------------------------------------------------------------- output and writing

def test_diff_prints_and_writes_nothing(work):
    (work / "redis.yaml").write_text(MULTI)
    result = CliRunner().invoke(cli, ["fix", "--no-config", "--diff", "redis.yaml"])
    assert result.exit_code == 1
    assert (work / "redis.yaml").read_text() == MULTI
    assert result.stdout == (
        "--- a/redis.yaml\n+++ b/redis.yaml\n@@ -15,8 +15,9 @@\n"
        "         image: registry.k8s.io/redis:e2e\n         ports:\n"
        "         - containerPort: 6379\n"
        "+        terminationMessagePolicy: FallbackToLogsOnError\n"
        "         # resources come later\n"
        '-      - {name: exporter, image: "oliver006/redis_exporter:v1.62.0"}\n'
        '+      - {name: exporter, image: "oliver006/redis_exporter:v1.62.0", '
        "terminationMessagePolicy: FallbackToLogsOnError}\n"
        " ...\n # the service, kept as it was\n ---\n")
    assert "would fix 2 findings in 1 file" in result.stderr


def test_diff_marks_a_missing_final_newline(work):
    (work / "p.json").write_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},\n'
                                 ' "spec": {"containers": [{"name": "a", "image": "x"}]}}')
    result = CliRunner().invoke(cli, ["fix", "--no-config", "--diff", "p.json"])
    assert result.stdout.endswith(
        '- "spec": {"containers": [{"name": "a", "image": "x"}]}}\n\\ No newline at end of file\n'
        '+ "spec": {"containers": [{"name": "a", "image": "x", '
        '"terminationMessagePolicy": "FallbackToLogsOnError"}]}}\n\\ No newline at end of file\n')


def test_stdin_prints_the_fixed_stream(work):
    result = CliRunner().invoke(cli, ["fix", "--no-config", "-"], input=MULTI.encode())
    assert result.exit_code == 0 and result.stdout == MULTI_FIXED
    clean = CliRunner().invoke(cli, ["fix", "--no-config", "-"], input=MULTI_FIXED.encode())
    assert clean.exit_code == 0 and clean.stdout == MULTI_FIXED


def test_stdin_with_diff(work):
    result = CliRunner().invoke(cli, ["fix", "--no-config", "--diff", "-"], input=MULTI.encode())
    assert result.exit_code == 1 and result.stdout.startswith("--- a/<stdin>\n+++ b/<stdin>\n")


def test_write_is_atomic_keeps_the_mode_and_a_symlink(work):
    target = work / "real.yaml"
    target.write_text(MULTI)
    os.chmod(target, 0o640)
    os.symlink("real.yaml", work / "link.yaml")
    assert fix_file(work / "link.yaml")[0] == 0
    assert os.path.islink(work / "link.yaml")
    assert target.read_text() == MULTI_FIXED
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert sorted(p.name for p in work.iterdir()) == ["link.yaml", "real.yaml"]


def test_a_failed_write_leaves_the_file_and_no_temporary(work, monkeypatch):
    (work / "redis.yaml").write_text(MULTI)

    def broken_replace(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, output = fix_file(work / "redis.yaml")
    assert code == 2 and "cannot write: no space left on device" in output
    assert (work / "redis.yaml").read_text() == MULTI
    assert [p.name for p in work.iterdir()] == ["redis.yaml"]


@pytest.mark.parametrize("command", [["lint"], ["explain"], ["graph"], ["lint", "-f", "json"]])
def test_lint_explain_and_graph_never_write(work, command):
    (work / "redis.yaml").write_text(MULTI)
    (work / "exec.yaml").write_text(EXEC_SLEEP)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in work.iterdir()}
    CliRunner().invoke(cli, command + ["."])
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in work.iterdir()} == before


def test_the_console_script_fixes_stdin_bytes_exactly():
    data = b"\xef\xbb\xbf" + MULTI.replace("\n", "\r\n").encode()
    run = subprocess.run([sys.executable, "-m", "podlint", "fix", "--no-config", "-"], input=data,
                         capture_output=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0
    assert run.stdout == b"\xef\xbb\xbf" + MULTI_FIXED.replace("\n", "\r\n").encode()


def test_fix_help_documents_the_exit_codes():
    result = invoke("fix", "--help")
    assert "Exit codes: 0 nothing to fix, or fixed and written; 1 with --diff" in \
        " ".join(result.output.split())


def test_readme_shows_what_fix_diff_prints_for_the_examples(monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    start = readme.index("`podlint fix --diff examples/` prints:\n\n```diff\n")
    shown = readme[start:].split("```diff\n", 1)[1].split("```\n", 1)[0]
    run = subprocess.run([sys.executable, "-m", "podlint", "fix", "--diff", "examples/"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    assert run.stdout == shown
    assert run.stderr.endswith("podlint: would fix 6 findings in 2 files\n")


def test_hostile_inputs_are_fixed_or_left_alone_never_a_traceback(tmp_path):
    import shutil

    from podlint.loader import LoadedFile, parse_text
    from tests.robustness.support import HOSTILE

    shutil.copytree(HOSTILE, tmp_path / "hostile")
    run = subprocess.run([sys.executable, "-m", "podlint", "fix", "--no-config", "hostile"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    changed = {p.name for p in (tmp_path / "hostile").rglob("*.yaml")
               if p.read_bytes() != (HOSTILE / p.relative_to(tmp_path / "hostile")).read_bytes()}
    assert changed == {"nested_list.yaml", "null_documents.yaml", "output_injection.yaml",
                       "utf16_be_bom.yaml", "utf16_le_bom.yaml", "utf8_bom.yaml"}
    for name in changed:
        data = (tmp_path / "hostile" / name).read_bytes()
        assert data[:2] == (HOSTILE / name).read_bytes()[:2]        # the BOM stays
        text = data.decode("utf-16" if name.startswith("utf16") else "utf-8-sig")
        assert not parse_text(text, LoadedFile(name)).parse_failed
    # anchors and merge keys: an edit of an anchored mapping would change its aliases too
    assert "anchors_merge.yaml:13:11: PL401 not fixed: the edit would not give the intended data" \
        in run.stderr


def test_fix_is_listed_in_the_help():
    result = invoke("--help")
    assert "  fix " in result.output
    assert invoke("fix", "-h").exit_code == 0


def test_json_indented_with_tabs_gets_tabs(work):
    (work / "tabs.json").write_text(JSON_POD.replace("    ", "\t"))
    assert fix_file(work / "tabs.json")[0] == 0
    assert (work / "tabs.json").read_text() == JSON_POD.replace("    ", "\t").replace(
        '"image": "nginx:1.27"\n',
        '"image": "nginx:1.27",\n\t\t\t\t"terminationMessagePolicy": "FallbackToLogsOnError"\n')


def test_a_job_restart_policy_always_is_left_for_a_person(work):
    text = ("apiVersion: batch/v1\nkind: Job\nmetadata: {name: m}\nspec:\n  template:\n    spec:\n"
            "      restartPolicy: Always\n      containers:\n        - name: m\n"
            "          image: example/m:1\n          terminationMessagePolicy: FallbackToLogsOnError\n")
    (work / "job.yaml").write_text(text)
    code, output = fix_file(work / "job.yaml")
    assert code == 0 and (work / "job.yaml").read_text() == text
    assert "job.yaml:7:22: PL007 not fixed: no certain fix" in output


def test_the_native_sleep_only_where_the_target_version_has_it(work):
    text = EXEC_SLEEP.replace('"60"', '"5"')
    (work / "p.yaml").write_text(text)
    assert fix_file(work / "p.yaml", "--kubernetes-version", "1.29")[0] == 0
    assert (work / "p.yaml").read_text() == text
    assert fix_file(work / "p.yaml", "--kubernetes-version", "1.30")[0] == 0
    assert (work / "p.yaml").read_text() == text.replace('exec: {command: ["sleep", "5"]}',
                                                         "sleep: {seconds: 5}")


def test_json_with_escaped_surrogates_is_left_alone(work):
    text = JSON_POD.replace('"nginx:1.27"', '"nginx:1.27", "workingDir": "/\\ud83d\\ude00"')
    (work / "emoji.json").write_text(text)
    code, output = fix_file(work / "emoji.json")
    assert code == 0 and (work / "emoji.json").read_text() == text
    assert "PL401 not fixed: JSON with escaped surrogate pairs" in output


def test_ingress_default_backend_moves_in_its_own_flow_style(work):
    text = ("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
            "  backend: {serviceName: web, servicePort: http}   # everything else\n"
            "  rules:\n  - host: example.com\n    http:\n      paths:\n"
            "      - {path: /api, pathType: Prefix, backend: {serviceName: api, servicePort: 8080}}\n")
    (work / "ing.yaml").write_text(text)
    assert fix_file(work / "ing.yaml")[0] == 0
    assert (work / "ing.yaml").read_text() == (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
        "  defaultBackend: {service: {name: web, port: {name: http}}}   # everything else\n"
        "  rules:\n  - host: example.com\n    http:\n      paths:\n"
        "      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}\n")


def test_an_ingress_already_written_the_v1_way_only_changes_its_apiversion(work):
    text = ("apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
            "  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
            "        backend:\n          service:\n            name: web\n"
            "            port: {number: 80}\n")
    (work / "ing.yaml").write_text(text)
    assert fix_file(work / "ing.yaml")[0] == 0
    assert (work / "ing.yaml").read_text() == text.replace("networking.k8s.io/v1beta1",
                                                           "networking.k8s.io/v1")


def test_rendered_helm_output_is_fixed_too(work):
    # Trimmed from the corpus: FairwindsOps__polaris/test__checks__topologySpreadConstraint__success.yaml
    text = ("# Source: basic-demo/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n"
            "metadata:\n  name: demo\nspec:\n  selector:\n    matchLabels: {app: demo}\n  template:\n"
            "    metadata:\n      labels: {app: demo}\n    spec:\n      containers:\n"
            "        - name: basic-demo\n          image: \"quay.io/fairwinds/docker-demo:latest\"\n")
    (work / "rendered.yaml").write_text(text)
    code, output = fix_file(work / "rendered.yaml", "--select", "PL401")
    assert code == 0 and "not fixed" not in output
    assert (work / "rendered.yaml").read_text() == text + \
        "          terminationMessagePolicy: FallbackToLogsOnError\n"
