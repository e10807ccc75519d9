"""A buggy rule cannot take the run down: an exception inside a rule is a
PL000 naming the rule, the file and the object (exit 2) and every other rule
and file still runs; a --jobs worker that dies is reported for its own file
only, and the run does not hang."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

from podlint import registry
from podlint.run import PARALLEL_MIN_BYTES, PARALLEL_MIN_FILES
from tests.robustness.support import ROOT, assert_accounted, invoke, podlint

POD = """apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  containers:
    - name: app
      image: "nginx:1.27"
      volumeMounts: [{{name: missing, mountPath: /data}}]
  volumes:
    - name: host
      hostPath: {{path: /var/run}}
"""


def _write_pods(folder, names, padding=0):
    folder.mkdir(exist_ok=True)
    for number, name in enumerate(names):
        text = ("#" + "x" * padding + "\n" if padding else "") + POD.format(name=name)
        (folder / f"pod{number:02d}.yaml").write_text(text)


def _boom(ctx):
    if ctx.workload is not None and ctx.workload.name == "bad":
        raise ValueError("boom\nsecond line")
    yield from ()


def test_exception_in_a_rule_becomes_pl000_and_the_rest_runs(tmp_path, monkeypatch):
    real = registry.all_rules()
    patched = tuple(dataclasses.replace(spec, check=_boom) if spec.code == "PL504" else spec
                    for spec in real)
    monkeypatch.setattr(registry, "all_rules", lambda: patched)
    _write_pods(tmp_path / "pods", ["good", "bad"])
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--select", "PL501,PL504,PL505", "-f", "json", "pods")
    assert out.exit_code == 2
    report = out.json()
    rows = [(f["path"], f["line"], f["column"], f["code"], f["workload"]) for f in report["findings"]]
    assert rows == [
        ("pods/pod00.yaml", 8, 29, "PL501", "Pod/good"),
        ("pods/pod00.yaml", 11, 7, "PL505", "Pod/good"),
        ("pods/pod01.yaml", 1, 1, "PL000", "Pod/bad"),
        ("pods/pod01.yaml", 8, 29, "PL501", "Pod/bad"),
        ("pods/pod01.yaml", 11, 7, "PL505", "Pod/bad"),
    ]
    crash = report["findings"][2]
    assert crash["message"] == "rule PL504 crashed on Pod/bad: ValueError: boom"
    assert crash["name"] == "internal-error" and crash["severity"] == "error"
    assert_accounted(report["summary"], files=2)
    # PL000 cannot be switched off or suppressed
    out = invoke("lint", "--no-config", "--select", "PL504", "--ignore", "PL000", "-f", "json", "pods")
    assert [f["code"] for f in out.json()["findings"]] == ["PL000"]


PACK = '''
"""A third-party rule that crashes on every object.

## What it does
Raises.

## Why is this bad?
It is a test.

## Example
```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: x}
```

## References
- none
"""
CODE = "ZZ001"
NAME = "always-crashes"
SEVERITY = "warning"
OPTIONS = {}


def check(ctx):
    raise RuntimeError("plugin bug")
'''


def test_crashing_rule_pack_from_an_entry_point(tmp_path):
    """A real rule pack, installed as a distribution on the path (entry point
    group podlint.rules), crashes on every object: PL000 each time, other rules
    unaffected."""
    site = tmp_path / "site"
    (site / "zz_pack-1.0.dist-info").mkdir(parents=True)
    (site / "zz_pack-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: zz-pack\nVersion: 1.0\n")
    (site / "zz_pack-1.0.dist-info" / "entry_points.txt").write_text("[podlint.rules]\nzz = zz_rules\n")
    (site / "zz_rules.py").write_text(PACK)
    _write_pods(tmp_path / "pods", ["one"])
    out = podlint("lint", "--no-config", "--select", "PL501,ZZ001", "-f", "json", "pods",
                  cwd=tmp_path, env={"PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])})
    assert out.exit_code == 2
    rows = [(f["line"], f["code"], f["message"]) for f in out.json()["findings"]]
    assert rows == [(1, "PL000", "rule ZZ001 crashed on Pod/one: RuntimeError: plugin bug"),
                    (8, "PL501", 'volumeMount "missing" of container "app" names no volume of the '
                                 "pod; the API server rejects it")]


CRASHER = '''
import os, signal, sys
sys.path.insert(0, {repo!r})
import podlint.rules.pl505_hostpath_volume as rule

real = rule.check

def check(ctx):
    if ctx.workload is not None and ctx.workload.name == "bad":
        {how}
    return real(ctx)

rule.check = check
from podlint.cli import main
main(sys.argv[1:])
'''


def _crash_run(tmp_path, how: str):
    files = max(PARALLEL_MIN_FILES, 24)
    padding = PARALLEL_MIN_BYTES // files + 1000          # enough bytes to fork workers
    names = [f"pod-{n}" for n in range(files)]
    names[13] = "bad"
    _write_pods(tmp_path / "pods", names, padding)
    script = tmp_path / "crasher.py"
    script.write_text(CRASHER.format(repo=str(ROOT), how=how))
    done = subprocess.run([sys.executable, str(script), "lint", "--no-config", "--select", "PL505",
                           "--jobs", "2", "-f", "json", "pods"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done, files


def test_worker_that_exits_is_reported_for_its_file_only(tmp_path):
    done, files = _crash_run(tmp_path, "os._exit(7)")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    crashed = [(f["path"], f["line"], f["column"], f["message"]) for f in report["findings"]
               if f["code"] == "PL000"]
    assert crashed == [("pods/pod13.yaml", 1, 1,
                        "file not linted: its worker process died (exit code 7)")]
    hostpath = {f["path"] for f in report["findings"] if f["code"] == "PL505"}
    assert len(hostpath) == files - 1 and "pods/pod13.yaml" not in hostpath
    assert_accounted(report["summary"], files=files)
    assert report["summary"]["files_with_errors"] == 1


def test_worker_killed_by_a_signal_is_reported(tmp_path):
    done, files = _crash_run(tmp_path, "os.kill(os.getpid(), signal.SIGSEGV)")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert [(f["path"], f["message"]) for f in report["findings"] if f["code"] == "PL000"] == [
        ("pods/pod13.yaml", "file not linted: its worker process died (killed by signal 11)")]
    assert_accounted(report["summary"], files=files)


def test_rule_crash_in_explain_is_reported_with_exit_2(tmp_path, monkeypatch):
    real = registry.all_rules()
    patched = tuple(dataclasses.replace(spec, check=_boom) if spec.code == "PL301" else spec
                    for spec in real)
    monkeypatch.setattr(registry, "all_rules", lambda: patched)
    _write_pods(tmp_path / "pods", ["bad"])
    monkeypatch.chdir(tmp_path)
    out = invoke("explain", "--no-config", "-f", "json", "pods")
    assert out.exit_code == 2
    findings = [f for w in out.json()["workloads"] for f in w["findings"]]
    assert any(f["code"] == "PL000" and "rule PL301 crashed on Pod/bad" in f["message"] for f in findings)
    assert out.stderr == "pods/pod00.yaml:1:1: PL000 [error] rule PL301 crashed on Pod/bad: ValueError: boom\n"


def test_pl000_text_is_a_single_line(tmp_path, monkeypatch):
    """The exception text comes from a rule: only its first line is shown."""
    real = registry.all_rules()
    patched = tuple(dataclasses.replace(spec, check=_boom) if spec.code == "PL504" else spec
                    for spec in real)
    monkeypatch.setattr(registry, "all_rules", lambda: patched)
    _write_pods(tmp_path / "pods", ["bad"])
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", "--no-config", "--select", "PL504", "pods")
    assert out.stdout.splitlines()[0] == ("pods/pod00.yaml:1:1: PL000 [error] rule PL504 crashed on "
                                          "Pod/bad: ValueError: boom (Pod/bad)")


