"""benchmarks/precision_sample.py: the sample a hand review judges must be the same for
the same seed and input (docs/precision.md gives the seed so anyone can redraw it),
cover every rule that fires, and the fail share must state what it counts. Runs on the
rule fixtures, not on ../shared/corpus, so it needs no corpus."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "precision_sample.py"
FIXTURES = ROOT / "tests" / "fixtures" / "rules"


def load_script():
    spec = importlib.util.spec_from_file_location("precision_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--corpus", str(FIXTURES), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_allocation_gives_every_stratum_its_minimum_and_shares_the_rest_by_size():
    allocate = load_script().allocate
    assert allocate({"A": 100, "B": 10, "C": 1}, 20, 3) == {"A": 15, "B": 4, "C": 1}
    # never more than a stratum holds, even when the total asks for more
    assert allocate({"A": 2, "B": 1}, 10, 3) == {"A": 2, "B": 1}


def test_same_seed_same_sample_other_seed_other_sample(tmp_path):
    lint = tmp_path / "lint.json"
    subprocess.run([sys.executable, "-m", "podlint", "lint", str(FIXTURES), "-f", "json",
                    "--no-config", "-o", str(lint)], cwd=ROOT, capture_output=True, timeout=300)
    first = run("--findings", str(lint), "--seed", "7", "-n", "40")
    again = run("--seed", "7", "-n", "40")  # runs podlint itself: the same findings
    other = run("--findings", str(lint), "--seed", "8", "-n", "40")
    for result in (first, again, other):
        assert result.returncode == 0, result.stderr
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout

    headings = [line for line in first.stdout.splitlines() if line.startswith("## S")]
    findings = json.loads(lint.read_text(encoding="utf-8"))["findings"]
    fired = Counter((f["code"], f["severity"]) for f in findings)
    # 40, or more when the minimum per rule and severity needs more (the fixtures fire many)
    floor = sum(min(3, count) for count in fired.values())
    assert len(headings) == max(40, floor) > 40
    assert [h.split()[1] for h in headings] == [f"S{n:03d}" for n in range(1, len(headings) + 1)]
    # every rule and severity that fires is sampled at least min(3, its count) times
    sampled = Counter((h.split()[2], h.split()[4].strip("[]")) for h in headings)
    assert set(sampled) == set(fired)
    for key, count in fired.items():
        assert sampled[key] >= min(3, count), key
    # each entry shows the file around the finding, its line marked
    assert first.stdout.count("\n>> ") == len(headings)


def test_verdicts_make_the_tables_and_every_sampled_finding_needs_one(tmp_path):
    sample = run("--seed", "3", "-n", "12", "--min-per-rule", "0")
    ids = [line.split()[1] for line in sample.stdout.splitlines() if line.startswith("## S")]
    verdicts = tmp_path / "verdicts.tsv"
    verdicts.write_text("# comment\n" + "".join(
        f"{sid}\t{'noise' if n == 0 else 'true'}\treason {n}\n" for n, sid in enumerate(ids)),
        encoding="utf-8")
    tables = run("--seed", "3", "-n", "12", "--min-per-rule", "0", "--verdicts", str(verdicts))
    assert tables.returncode == 0, tables.stderr
    total = next(line for line in tables.stdout.splitlines() if line.startswith("| **total**"))
    assert "| 12 | 11 (91.7 %) | 1 (8.3 %) | 0 (0.0 %) |" in total
    assert f"| {ids[0]} |" in tables.stdout and "| noise | reason 0 |" in tables.stdout

    verdicts.write_text(f"{ids[0]}\ttrue\tonly one\n", encoding="utf-8")
    incomplete = run("--seed", "3", "-n", "12", "--min-per-rule", "0", "--verdicts", str(verdicts))
    assert incomplete.returncode != 0 and f"no verdict for {ids[1]}" in incomplete.stderr


def test_fail_share_counts_explain_workloads_and_states_its_definition():
    result = run("--fail-share")
    assert result.returncode == 0, result.stderr
    explain = subprocess.run([sys.executable, "-m", "podlint", "explain", str(FIXTURES), "-f", "json",
                              "--no-config"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    workloads = json.loads(explain.stdout)["workloads"]
    failing = sum(1 for w in workloads
                  if any(f["severity"] in ("warning", "error") for f in w["findings"]))
    assert f"**{failing} of {len(workloads)} workloads fail (" in result.stdout
    assert "Definition: the workloads are the entries of `podlint explain CORPUS -f json`" in result.stdout


def test_patterns_sort_findings_into_the_review_patterns(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "repo-a").mkdir(parents=True)
    (corpus / "repo-b").mkdir()
    # a kubeadm-style static Pod, an idle utility Pod, and a web Deployment whose only
    # matching Service lives in another repository's folder
    (corpus / "repo-a" / "manifests__etcd.yaml").write_text("""\
apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
  labels: {component: etcd, tier: control-plane}
spec:
  hostNetwork: true
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.9-0
    command: [etcd]
    volumeMounts: [{name: data, mountPath: /var/lib/etcd}]
  volumes:
  - name: data
    hostPath: {path: /var/lib/etcd, type: DirectoryOrCreate}
""", encoding="utf-8")
    (corpus / "repo-a" / "manifests__tools.yaml").write_text("""\
apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  containers:
  - name: tools
    image: curlimages/curl:8.5.0
    command: [sleep, infinity]
""", encoding="utf-8")
    (corpus / "repo-a" / "manifests__web.yaml").write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
""", encoding="utf-8")
    # The Service in the same original folder ("manifests") sends web its traffic: podlint
    # names it in PL201/PL301 ("receives traffic from Service "web" (path:line)").
    (corpus / "repo-a" / "manifests__svc.yaml").write_text("""\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
""", encoding="utf-8")
    # read back from a cluster (status, resourceVersion), with a tcpSocket liveness probe
    # whose timeout equals its period: PL401's and PL204's patterns of the "after" review
    (corpus / "repo-a" / "testdata__dump.yaml").write_text("""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dump
  resourceVersion: "1208550"
spec:
  selector:
    matchLabels: {app: dump}
  template:
    metadata:
      labels: {app: dump}
    spec:
      containers:
      - name: db
        image: redis:7.2
        livenessProbe:
          tcpSocket: {port: 6379}
          periodSeconds: 5
          timeoutSeconds: 5
status:
  replicas: 1
""", encoding="utf-8")
    # podlint no longer reports PL505 on static Pods, PL202 on `sleep infinity`, PL204 on an
    # equal timeout or advice (PL401) on a cluster dump (issue 10);
    # the findings an older podlint gave are added to a real run's output, so the test
    # checks the pattern sorter, not today's rules.
    saved = tmp_path / "findings.json"
    lint = subprocess.run([sys.executable, "-m", "podlint", "lint", str(corpus), "--no-config",
                           "-f", "json", "-o", str(saved)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert lint.returncode in (0, 1), lint.stderr
    report = json.loads(saved.read_text(encoding="utf-8"))
    old = {"column": 5, "container": None, "hint": None, "message": "(an older podlint's finding)"}
    report["findings"] += [
        dict(old, code="PL505", name="hostpath-volume", severity="warning", line=18,
             path=str(corpus / "repo-a" / "manifests__etcd.yaml"), workload="Pod/etcd"),
        dict(old, code="PL202", name="missing-liveness-probe", severity="info", line=7,
             path=str(corpus / "repo-a" / "manifests__tools.yaml"), workload="Pod/tools",
             container="tools"),
        # PL401 on a cluster dump (advice on dumps is dropped since the 20261204 review)
        dict(old, code="PL401", name="termination-message-unset", severity="info", line=14,
             path=str(corpus / "repo-a" / "testdata__dump.yaml"), workload="Deployment/dump",
             container="db"),
        # and PL204 on a timeout equal to the period (only a longer one since the after review)
        dict(old, code="PL204", name="probe-timeout-exceeds-period", severity="warning", line=19,
             path=str(corpus / "repo-a" / "testdata__dump.yaml"), workload="Deployment/dump",
             container="db", message='livenessProbe of container "db" has timeoutSeconds 5 and '
                                     "periodSeconds 5: (an older podlint's finding)")]
    saved.write_text(json.dumps(report), encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), "--corpus", str(corpus), "--patterns",
                             "--findings", str(saved)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = {tuple(cell.strip() for cell in line.strip("|").split("|")[:3]): line
            for line in result.stdout.splitlines() if line.startswith("| PL")}
    assert ("PL505", "warning", "control-plane static Pod (kube-system)") in rows
    assert ("PL202", "info", "idle container (sleep, pause, scratch)") in rows
    # PL201/PL301 messages name the Service ("receives traffic from ..."); the pattern says
    # where the closest named one sits, beside the nearest Service found independently
    assert [key for key in rows if key[0] in ("PL201", "PL301")] == [
        ("PL201", "warning", "receives traffic from a Service named in the same folder; "
                             "nearest matching Service: same folder"),
        ("PL301", "warning", "receives traffic from a Service named in the same folder; "
                             "nearest matching Service: same folder")]
    assert ("PL204", "warning", "timeout equal to period") in rows
    assert ("PL401", "info", "cluster dump (status, resourceVersion or uid)") in rows
