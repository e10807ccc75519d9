"""`podlint explain`: the seed example's observed order in the JSON output, the
stable JSON shape, text tables with findings at the moment they bite, exit
codes, a Mermaid gantt structure check, and the HTML page rendered in a real
headless Chromium (libraries.md 6b)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.config import Settings
from podlint.explain import collect, run_explain

ROOT = Path(__file__).resolve().parent.parent
LOAP = str(ROOT / "examples" / "loap.yaml")
WORKLOAD_KEYS = ["kind", "name", "namespace", "path", "line", "startup", "shutdown", "ready",
                 "rollout", "disruption", "assumptions", "findings"]
ROLLOUT_KEYS = ["strategy", "replicas", "max_surge", "max_unavailable", "max_pods", "min_available",
                "waves", "pod_ready", "pod_stop", "duration_earliest", "duration_latest",
                "progress_deadline", "steps", "stall", "notes"]
EVENT_KEYS = ["event", "container", "earliest", "latest", "after", "detail"]

GRACEFUL = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 30
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 80}]
          readinessProbe: {httpGet: {path: /, port: 80}}
          livenessProbe: {httpGet: {path: /, port: 80}}
          lifecycle:
            preStop: {exec: {command: [sleep, "60"]}}
"""

HOSTILE = """\
apiVersion: v1
kind: Pod
metadata: {name: "x:y#z;%%<b>"}
spec:
  initContainers:
    - {name: "in\\x1b[2Jit:#;", image: "a\\x1b[31m", restartPolicy: Always,
       startupProbe: {exec: {command: [sh, -c, "sleep 3"]}}}
  containers:
    - name: "m`a|i<n>&\\"q"
      image: busybox
      lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 2"]}}, postStart: {sleep: {seconds: 1}}}
      readinessProbe: {tcpSocket: {port: nope}}
"""


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["explain", "--no-config", *args], input=input)


def explain_json(*args) -> dict:
    result = invoke(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def index_of(events, name, container=None):
    for number, event in enumerate(events):
        if event["event"] == name and (container is None or event["container"] == container):
            return number
    raise AssertionError(f"{name} {container} not found")


# ----------------------------------------------------------------------------- the seed

def test_seed_reproduces_the_observed_order():
    """INIT, then START with POST-START, then READINESS and LIVENESS, then on
    deletion PRE-HOOK before the stop signal, SIGKILL deadline at 30 s."""
    document = explain_json(LOAP)
    (workload,) = document["workloads"]
    startup, shutdown = workload["startup"], workload["shutdown"]
    init_done = startup[index_of(startup, "init-completed", "init")]
    start = startup[index_of(startup, "container-started", "main")]
    post = startup[index_of(startup, "post-start-started", "main")]
    post_done = startup[index_of(startup, "post-start-completed", "main")]
    readiness = startup[index_of(startup, "readiness-probe-first", "main")]
    liveness = startup[index_of(startup, "liveness-probe-first", "main")]
    # INIT before START: the main container waits for the init container's exit.
    assert index_of(startup, "init-completed", "init") < index_of(startup, "container-started", "main")
    assert start["after"] == ["init-completed:init"]
    assert start["earliest"] >= init_done["earliest"]
    # START with POST-START: same instant.
    assert (post["earliest"], post["latest"]) == (start["earliest"], start["latest"])
    assert post["after"] == ["container-started:main"]
    # READINESS and LIVENESS after the postStart hook returned, readiness listed first.
    assert readiness["after"] == ["post-start-completed:main"]
    assert liveness["after"] == ["post-start-completed:main"]
    assert index_of(startup, "post-start-completed", "main") < index_of(startup, "readiness-probe-first", "main") \
        < index_of(startup, "liveness-probe-first", "main")
    assert readiness["earliest"] >= post_done["earliest"]
    # On deletion: PRE-HOOK first, then the stop signal; SIGKILL deadline 30 s (32 at most).
    pre = shutdown[index_of(shutdown, "pre-stop-started", "main")]
    stop = shutdown[index_of(shutdown, "stop-signal", "main")]
    kill = shutdown[index_of(shutdown, "sigkill-deadline", "main")]
    assert index_of(shutdown, "pre-stop-started", "main") < index_of(shutdown, "stop-signal", "main")
    assert stop["after"] == ["pre-stop-completed:main"]
    assert (pre["earliest"], pre["latest"]) == (0, 0)
    assert (stop["earliest"], stop["latest"]) == (0, 30)
    assert (kill["earliest"], kill["latest"]) == (30, 32)
    assert workload["ready"] == {"earliest": 0, "latest": None, "never": False}


def test_json_shape_is_exact_and_deterministic():
    first = invoke(LOAP, "-f", "json").stdout
    second = invoke(LOAP, "-f", "json").stdout
    assert first == second
    document = json.loads(first)
    assert list(document) == ["podlint_version", "kubernetes_version", "workloads"]
    assert document["kubernetes_version"] == "1.35"
    (workload,) = document["workloads"]
    assert list(workload) == WORKLOAD_KEYS
    assert (workload["kind"], workload["name"], workload["namespace"], workload["line"]) == (
        "Deployment", "loap", None, 8)
    for event in workload["startup"] + workload["shutdown"]:
        assert list(event) == EVENT_KEYS
    assert workload["assumptions"] == {}
    # apps/v1beta1 keeps apps/v1's 25 %/25 %: one replica surges one pod and keeps it available.
    rollout = workload["rollout"]
    assert list(rollout) == ROLLOUT_KEYS
    assert {k: rollout[k] for k in ("strategy", "replicas", "max_surge", "max_unavailable", "max_pods",
                                    "min_available", "waves", "duration_earliest", "duration_latest",
                                    "progress_deadline", "stall")} == {
        "strategy": "RollingUpdate", "replicas": 1, "max_surge": 1, "max_unavailable": 0, "max_pods": 2,
        "min_available": 1, "waves": 1, "duration_earliest": 0, "duration_latest": None,
        "progress_deadline": 600, "stall": None}
    assert rollout["steps"] == [
        {"wave": 0, "time": {"earliest": 0, "latest": 0}, "old": 1, "new": 1, "available": 1},
        {"wave": 1, "time": {"earliest": 0, "latest": None}, "old": 0, "new": 1, "available": 1}]
    codes = sorted(f["code"] for f in workload["findings"])
    assert codes == ["PL004", "PL401", "PL401", "PL505"]
    pl004 = next(f for f in workload["findings"] if f["code"] == "PL004")
    assert (pl004["severity"], pl004["line"], pl004["column"]) == ("error", 9, 13)
    assert first.isascii()


def test_json_carries_assumptions_and_version():
    document = explain_json(LOAP, "--assume", "main.startup=45s", "--assume", "init.run=5",
                            "--kubernetes-version", "1.27")
    (workload,) = document["workloads"]
    assert document["kubernetes_version"] == "1.27"
    assert workload["assumptions"] == {"init.run": {"seconds": 5, "source": "--assume"},
                                       "main.startup": {"seconds": 45, "source": "--assume"}}
    events = {(e["event"], e["container"]): e for e in workload["startup"] + workload["shutdown"]}
    assert events[("init-completed", "init")]["latest"] is None         # pull unknown
    assert events[("init-completed", "init")]["earliest"] == 5
    assert (events[("sigkill-deadline", "main")]["earliest"],
            events[("sigkill-deadline", "main")]["latest"]) == (30, 60)
    assert workload["ready"]["earliest"] == 50                            # 5 + 45


# ----------------------------------------------------------------------------- text

def test_text_output_tables_findings_and_assumptions(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(GRACEFUL)
    result = invoke(str(path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[0] == f"Deployment/web in namespace shop  {path}:1:1  apiVersion apps/v1"
    assert "  note: assumed Kubernetes 1.35 (the newest podlint models)" in lines
    # The finding sits right under the event it bites at.
    row = next(i for i, line in enumerate(lines) if line.lstrip().startswith("pre-stop-completed"))
    assert re.match(r"^ +\^ PL302 \[error\] ", lines[row + 1]), lines[row + 1]
    assert re.match(r"^  pre-stop-completed +app +30 +30  exec sleep, 60 s; still running", lines[row])
    kill = next(line for line in lines if line.lstrip().startswith("sigkill-deadline"))
    assert re.match(r"^  sigkill-deadline +app +32 +32  ", kill)
    ready = next(line for line in lines if line.startswith("  pod Ready:"))
    assert ready == "  pod Ready: earliest 0 s, latest unbounded"
    assert any(line.startswith("  container-ready ") and line.split()[3] == "-" for line in lines)
    assert "  assumptions: none - unknown durations" in out
    assert "What this means" in out


def test_text_colour_only_when_asked_and_hostile_names_escaped(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text(HOSTILE)
    stream = io.StringIO()
    assert run_explain([str(path)], Settings(), "text", (), stream, color=True) == 0
    coloured = stream.getvalue()
    assert "\x1b[1m" in coloured
    plain = io.StringIO()
    run_explain([str(path)], Settings(), "text", (), plain, color=False)
    text = plain.getvalue()
    assert "\x1b" not in text
    assert "in\\x1b[2Jit:#;" in text
    # Colour codes come only from podlint: strip them and the rest has no ESC.
    assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", coloured)


def test_assumption_sources_in_text(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(GRACEFUL.replace("metadata: {labels: {app: web}}",
                                     "metadata: {labels: {app: web}, annotations: "
                                     "{podlint/assume: 'app.startup=20s'}}"))
    out = invoke(str(path), "--assume", "image-pull=3s").stdout
    assert "  assumptions: app.startup = 20 s (annotation), image-pull = 3 s (--assume)" in out


# ----------------------------------------------------------------------------- exit codes

def test_parse_error_is_reported_and_other_files_still_explained(tmp_path):
    (tmp_path / "a_bad.yaml").write_text("kind: [unclosed\n")
    (tmp_path / "b_good.yaml").write_text(GRACEFUL)
    result = invoke(str(tmp_path), "-f", "json")
    assert result.exit_code == 2
    assert re.search(r"a_bad\.yaml:\d+:\d+: PL001 \[error\] ", result.stderr)
    document = json.loads(result.stdout)
    assert [w["name"] for w in document["workloads"]] == ["web"]


def test_workload_filter(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(GRACEFUL + "---\n" + open(LOAP).read())
    both = json.loads(invoke(str(path), "-f", "json").stdout)
    assert [w["name"] for w in both["workloads"]] == ["web", "loap"]
    # Findings stay with their own document.
    assert all(f["line"] > 18 for f in both["workloads"][1]["findings"])
    assert all(f["line"] < 18 for f in both["workloads"][0]["findings"])
    one = invoke(str(path), "-f", "json", "--workload", "deployment/loap")
    assert one.exit_code == 0
    assert [w["name"] for w in json.loads(one.stdout)["workloads"]] == ["loap"]
    missing = invoke(str(path), "--workload", "Deployment/nope")
    assert missing.exit_code == 2
    assert "no workload matched --workload Deployment/nope" in missing.stderr


def test_collect_never_raises_on_hostile_input(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text(HOSTILE + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {containers: 7}\n")
    err = io.StringIO()
    explained, status = collect([str(path)], Settings(), (), err)
    assert status == 2
    assert "PL002" in err.getvalue()
    assert len(explained) == 1
    for fmt in ("text", "json", "mermaid", "html"):
        run_explain([str(path)], Settings(), fmt, (), io.StringIO(), err=io.StringIO())


# ----------------------------------------------------------------------------- mermaid

MERMAID_NAME = r"[A-Za-z0-9 ._\-+/()=,]+"
TASK = re.compile(rf"^        ({MERMAID_NAME}) :((?:crit|done|active|milestone)(?:, (?:crit|done|active|milestone))*), "
                  r"(t\d+), (\d+), (\d+)(s|ms)$")
HEADER = [re.compile(r"^gantt$"), re.compile(rf"^    title {MERMAID_NAME}$"),
          re.compile(r"^    dateFormat x$"), re.compile(r"^    axisFormat %s$"),
          re.compile(r"^    todayMarker off$")]
SECTION = re.compile(rf"^    section ({MERMAID_NAME})$")


def parse_gantt(block: list[str]) -> list[dict]:
    """A strict reader for the gantt subset podlint emits: fixed header, then
    sections and tasks only; returns the tasks."""
    assert len(block) > len(HEADER)
    for pattern, line in zip(HEADER, block):
        assert pattern.match(line), line
    tasks, ids, section = [], set(), None
    for line in block[len(HEADER):]:
        if match := SECTION.match(line):
            section = match.group(1)
            assert section == section.strip()
            continue
        match = TASK.match(line)
        assert match, f"not a gantt statement: {line!r}"
        assert section is not None, "task before any section"
        name, tags, task_id, start, duration, unit = match.groups()
        assert name == name.strip() and "%%" not in name
        assert task_id not in ids
        ids.add(task_id)
        tags = tags.split(", ")
        if "milestone" in tags:
            assert float(duration) == 0
        tasks.append({"section": section, "name": name, "tags": tags, "start": int(start) / 1000,
                      "duration": int(duration) / (1000 if unit == "ms" else 1)})
    return tasks


def gantt_blocks(markdown: str) -> list[list[str]]:
    blocks, current = [], None
    for line in markdown.splitlines():
        if line == "```mermaid":
            assert current is None
            current = []
        elif line == "```":
            assert current is not None
            blocks.append(current)
            current = None
        elif current is not None:
            current.append(line)
        else:
            assert line == "" or line.startswith("### ") or line.startswith("Kubernetes "), line
    assert current is None
    return blocks


def test_mermaid_gantt_structure_for_the_seed():
    result = invoke(LOAP, "-f", "mermaid")
    assert result.exit_code == 0
    blocks = gantt_blocks(result.stdout)
    assert len(blocks) == 3
    startup, shutdown, rollout = (parse_gantt(b) for b in blocks)
    # One replica, 25 %/25 %: one wave, the surge pod created at 0, available after Ready (unbounded).
    assert [(t["section"], t["name"], t["tags"]) for t in rollout] == [
        ("rollout", "wave 0 (old 1, new 1, available 1) 0 s, no upper bound", ["done"])]
    assert [t["section"] for t in startup][:2] == ["pod", "pod"]
    assert {t["section"] for t in startup} == {"pod", "init (init)", "main (main)"}
    kill = next(t for t in shutdown if t["name"].startswith("sigkill-deadline"))
    assert (kill["start"], kill["duration"], kill["tags"]) == (30, 2, ["crit", "active"])
    pre = next(t for t in shutdown if t["name"].startswith("pre-stop-started"))
    assert pre["tags"] == ["milestone"]
    open_ended = next(t for t in startup if t["name"].startswith("container-started"))
    assert open_ended["tags"] == ["done"] and "no upper bound" in open_ended["name"]


def test_mermaid_survives_hostile_names(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text(HOSTILE)
    stream = io.StringIO()
    run_explain([str(path)], Settings(), "mermaid", (), stream)
    for block in gantt_blocks(stream.getvalue()):
        parse_gantt(block)


# ----------------------------------------------------------------------------- html

def html_of(path) -> str:
    stream = io.StringIO()
    assert run_explain([str(path)], Settings(), "html", (), stream) == 0
    return stream.getvalue()


def test_html_is_self_contained_and_escaped(tmp_path):
    page = html_of(LOAP)
    assert page.startswith("<!DOCTYPE html>")
    lowered = page.lower()
    for forbidden in ("<script", "<link", "@import", "<img", "<iframe", "src="):
        assert forbidden not in lowered
    assert re.findall(r"https?://[^\"' )]+", page) == ["http://www.w3.org/2000/svg"]
    assert re.findall(r"url\(([^)]*)\)", page) and all(
        ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", page))
    assert "default-src 'none'" in page
    assert page.count("<svg") == 1
    for label in ("init run", "postStart", "readiness probe", "liveness probe", "preStop",
                  "SIGKILL 30-32 s", "grace period ends at 30 s"):
        assert label in page, label
    path = tmp_path / "evil.yaml"
    path.write_text(HOSTILE)
    evil = html_of(path)
    assert "%%<b>" not in evil and "x:y#z;%%&lt;b&gt;" in evil
    assert "\x1b" not in evil


def chromium() -> str:
    """The chromium binary; installs Debian's `chromium` if missing (root only).
    Skips only when it truly cannot be installed outside CI; in CI it must exist."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env,
                       capture_output=True, timeout=600)
        found = shutil.which("chromium")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run must apt-get install chromium")
        pytest.skip("chromium cannot be installed here (apt-get install chromium)")
    return found


def chromium_run(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,900", "--hide-scrollbars",
         "--virtual-time-budget=5000",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True, text=True, timeout=180)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG with zlib + struct: (width, height, rows)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color_type in (2, 6)
            channels = 3 if color_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        offset = y * (stride + 1)
        kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
        if kind == 2:
            line = bytearray((u + v) & 0xFF for u, v in zip(line, previous))
        for x in (range(stride) if kind in (1, 3, 4) else ()):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def test_html_renders_in_headless_chromium(tmp_path):
    binary = chromium()
    page = tmp_path / "loap.html"
    page.write_text(html_of(LOAP), encoding="utf-8")
    shot = tmp_path / "loap.png"
    result = chromium_run(binary, tmp_path / "profile", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    assert "Uncaught" not in result.stderr and "ERROR:CONSOLE" not in result.stderr
    assert "Refused to" not in result.stderr          # nothing blocked by the CSP either
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 900)
    colours = set()
    channels = len(rows[0]) // width
    for row in rows[::7]:
        for x in range(0, len(row), channels * 5):
            colours.add(row[x:x + 3])
    assert len(colours) > 40, len(colours)              # not blank: bars, text, lanes
    dom = chromium_run(binary, tmp_path / "profile2", "--dump-dom", page.as_uri())
    assert "<svg" in dom.stdout and "SIGKILL 30-32 s" in dom.stdout
