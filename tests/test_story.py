"""The sentences of `podlint explain` ("What this means") against its own table.

Issue 10: explain contradicted itself ("Ready 0 s or later" next to "never", a
startup budget of 25 s next to a table kill at 50 s, "30 s of failed checks" for
a 20 s window). Every sentence is built from the timeline's fields; these tests
read the numbers back out of the printed sentence and compare them with the
JSON events of the same workload, over every fixture and example manifest and
a seeded sample of the corpus (skipped when ../shared/corpus is absent). Then
exact-output tests for the named cases, on fixtures trimmed from the corpus
files (tests/fixtures/explain, each citing its source).
"""
from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.config import Settings
from podlint.explain import collect
from podlint.explain_render import fmt_range
from podlint.explain_render.document import workload_document
from podlint.explain_render.story import statements

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "explain"
CORPUS = ROOT.parent / "shared" / "corpus"
NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*[a-zA-Z(])")
RANGE = re.compile(r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))? s( or later)?")
CORPUS_SAMPLE_SEED = 10
CORPUS_NAMED = ["stackrox__kube-linter/tests__checks__startup-port.yml",
                "argoproj__argo-cd/manifests__ha__install.yaml"]


def _paths_local() -> list[str]:
    paths = sorted(str(p) for p in (ROOT / "tests" / "fixtures" / "rules").rglob("*.yaml"))
    paths += sorted(str(p) for p in (ROOT / "examples").glob("*.yaml"))
    paths += sorted(str(p) for p in FIXTURES.glob("*.yaml"))
    return paths


def _paths_corpus() -> list[str]:
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml"))
    sample = random.Random(CORPUS_SAMPLE_SEED).sample(files, min(40, len(files)))
    return sorted({str(p) for p in sample} | {str(CORPUS / n) for n in CORPUS_NAMED})


def _explained(paths: list[str]):
    items, _ = collect(paths, Settings(), err=io.StringIO(), jobs=1)
    return items


def _event(doc: dict, name: str, container: str | None):
    for event in doc["startup"] + doc["shutdown"]:
        if event["event"] == name and event["container"] == container:
            return event
    return None


def _ranges(text: str) -> list[tuple[float, float | None]]:
    """Every `N s`, `N-M s` and `N s or later` in a sentence, as (earliest, latest)."""
    out = []
    for match in RANGE.finditer(text):
        low = float(match.group(1))
        high = None if match.group(3) else float(match.group(2) or match.group(1))
        out.append((low, high))
    return out


def _start(doc: dict, container: str):
    return _event(doc, "container-started", container) or _event(doc, "sidecar-started", container)


def check_workload(item) -> list[str]:
    """Every statement of one workload against its JSON; a list of contradictions."""
    doc = json.loads(json.dumps(workload_document(item)))
    problems: list[str] = []

    def expect(condition: bool, statement, why: str) -> None:
        if not condition:
            problems.append(f"{item.path}:{item.line} {item.ref} [{statement.kind}] {why}: {statement.text}")

    said = {(s.kind, s.container) for s in statements(item)}
    for statement in statements(item):
        c, text = statement.container, statement.text
        found = _ranges(text)
        if statement.kind == "pod-ready":
            ready = doc["ready"]
            if ready["never"]:
                expect(ready["earliest"] is None and ready["latest"] is None, statement, "never with bounds")
                expect(_event(doc, "pod-ready", None) is None, statement, "never, yet a pod-ready event")
                expect("never" in text and not found, statement, "never, yet a time")
            else:
                event = _event(doc, "pod-ready", None)
                expect(event is not None and (event["earliest"], event["latest"])
                       == (ready["earliest"], ready["latest"]), statement, "ready != pod-ready event")
                expect(fmt_range(ready["earliest"], ready["latest"]) in text, statement,
                       f"ready {ready} not in the sentence")
        elif statement.kind == "never":
            for name in ("startup-probe-deadline", "liveness-restart-earliest", "container-ready"):
                if "never ready" in text or name != "container-ready":
                    expect(_event(doc, name, c) is None, statement, f"never, yet {name} in the table")
        elif statement.kind == "startup-budget":
            deadline, start = _event(doc, "startup-probe-deadline", c), _start(doc, c)
            expect(deadline is not None, statement, "a budget without a startup-probe-deadline")
            if deadline is not None:
                budget = float(text.split(" within ", 1)[1].split(" s ", 1)[0])
                expect(budget == deadline["earliest"] - start["earliest"], statement,
                       f"budget {budget} != deadline {deadline['earliest']} - start {start['earliest']}")
        elif statement.kind == "startup-kill":
            deadline = _event(doc, "startup-probe-deadline", c)
            expect(deadline is not None and found and found[0][0] == deadline["earliest"], statement,
                   f"kill time != table {deadline}")
        elif statement.kind == "liveness-hang":
            restart, first = _event(doc, "liveness-restart-earliest", c), _event(doc, "liveness-probe-first", c)
            expect(restart is not None and first is not None, statement, "no liveness rows in the table")
            if restart is None or first is None:
                continue
            decision, hang = found[0], found[-1]
            if _event(doc, "startup-probe-deadline", c) is None:
                # Without a startup probe the table's restart row is the window from the
                # first run on: its offset from liveness-probe-first is (F-1)p, the
                # earliest bound of a check that fails at once. A hang's runs each wait
                # the timeout T (issue 10, S059): the sentence says the hang window, which
                # the row's detail states next to it, T later and with the same end.
                window = re.search(r"in \[x \+ ([\d.]+), x \+ ([\d.]+)\) if every liveness run fails",
                                   restart["detail"])
                hung = re.search(r"in \[x \+ ([\d.]+), x \+ ([\d.]+)\) if every run times out \(([\d.]+) s\)",
                                 restart["detail"])
                expect(window is not None and float(window.group(1)) == restart["earliest"] - first["earliest"],
                       statement, f"table window vs {restart['earliest']} - {first['earliest']}")
                expect(hung is not None and (float(hung.group(1)), float(hung.group(2))) == decision,
                       statement, f"decision {decision} vs table detail {restart['detail']!r}")
                if window is not None and hung is not None:
                    expect(float(hung.group(1)) >= float(window.group(1)) + float(hung.group(3))
                           and hung.group(2) == window.group(2), statement,
                           f"hang window not the failure window shifted by the timeout: {restart['detail']!r}")
            grace = re.search(r"kill grace (\d+) s", restart["detail"])
            expect(grace is not None and f"with {grace.group(1)} s of grace" in text, statement,
                   "kill grace differs from the table's")
            if grace is not None and hang[1] is not None:
                g = float(grace.group(1))
                expect(min(g, 2) <= hang[0] - decision[0] <= g + 2, statement, f"hang {hang} vs grace {g}")
        elif statement.kind == "post-start":
            started, done = _event(doc, "post-start-started", c), _event(doc, "post-start-completed", c)
            expect(started is not None and done is not None, statement, "no postStart rows")
            if started is not None and done is not None and found:
                expect(found[0][0] == done["earliest"] - started["earliest"], statement, "duration")
        elif statement.kind == "stop":
            stop = _event(doc, "stop-signal", c) or _event(doc, "sidecar-stop-signal", c)
            kill = _event(doc, "sigkill-deadline", c)
            expect(stop is not None and kill is not None, statement, "no shutdown rows")
            if stop is not None and kill is not None:
                expect((stop["earliest"], stop["latest"]) in found, statement, f"stop {stop} not said")
                expect((kill["earliest"], kill["latest"]) in found, statement, f"SIGKILL {kill} not said")
    # The other direction: a kill in the table is told, a never-ready pod is told.
    for event in doc["startup"]:
        if event["event"] == "startup-probe-deadline":
            if ("startup-kill", event["container"]) not in said:
                problems.append(f"{item.ref}: table kills {event['container']}, no sentence says so")
    return problems


def test_the_checker_catches_a_contradiction():
    """Control: a sentence with a wrong number is reported."""
    from dataclasses import replace

    (item,) = _explained([str(FIXTURES / "redis_ha_sentinel.yaml")])
    timing = item.timeline.containers["sentinel"]
    wrong = replace(timing, startup_budget_guaranteed=25)       # the old, postStart-blind budget
    item.timeline.containers["sentinel"] = wrong
    assert any("budget 25.0 != deadline 50" in p for p in check_workload(item))


def test_every_sentence_agrees_with_the_table_on_fixtures_and_examples():
    items = _explained(_paths_local())
    assert len(items) > 100
    problems = [p for item in items for p in check_workload(item)]
    assert problems == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent (a clone has no corpus)")
def test_every_sentence_agrees_with_the_table_on_a_corpus_sample():
    items = _explained(_paths_corpus())
    assert len(items) > 40
    problems = [p for item in items for p in check_workload(item)]
    assert problems == []


# ----------------------------------------------------------------------------- named cases

def explain(*args) -> str:
    result = CliRunner().invoke(cli, ["explain", "--no-config", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def meaning(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("  What this means") + 1
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("  - "))
    return [line[4:] for line in lines[start:end]]


def test_a_probe_on_an_undeclared_named_port_never_succeeds_and_never_kills():
    path = str(FIXTURES / "startup_port.yaml")
    document = json.loads(explain(path, "-f", "json"))
    (workload,) = document["workloads"]
    assert workload["ready"] == {"earliest": None, "latest": None, "never": True}
    events = {(e["event"], e["container"]) for e in workload["startup"]}
    assert ("startup-probe-first", "fire-deployment-name") in events
    for name in ("startup-probe-deadline", "liveness-restart-earliest", "container-ready"):
        assert (name, "fire-deployment-name") not in events
    assert ("pod-ready", None) not in events
    assert ("startup-probe-deadline", "dont-fire-deployment") in events     # a real probe still kills
    text = explain(path)
    assert "  pod Ready: never (the startup probe of container \"fire-deployment-name\" errors on every run)" \
        in text.splitlines()
    assert meaning(text) == [
        'Container "dont-fire-deployment" must pass its startup probe within 20 s of starting to be safe '
        "(more if later starts delay the first check); otherwise the kubelet kills and restarts it. "
        "Liveness and readiness probes wait for that success.",
        'Container "dont-fire-deployment" is killed by its startup probe from 20 s after admission if it '
        "never passes the check.",
        'Container "dont-fire-deployment" has no readinessProbe: it counts as ready as soon as the kubelet '
        "sees it running and its startup probe succeeded.",
        'Container "fire-deployment-name": startup probe targets port "http", which the container does not '
        "declare (every run errors and the kubelet discards the result): it never succeeds and never kills, "
        "so liveness and readiness probes never run and the container is never ready.",
        'The pod never becomes Ready: the startup probe of container "fire-deployment-name" errors on every run.',
        "On deletion (t0 = when the kubelet starts the kill, up to ~2 s after the API delete) every "
        "container's preStop starts at once, together with the removal of the pod's endpoints; the grace "
        "period of 30 s counts from t0, preStop included.",
        '"dont-fire-deployment" gets SIGTERM at 0 s, SIGKILL at 30 s (no preStop: requests still routed to '
        "it may fail).",
        '"fire-deployment-name" gets SIGTERM at 0 s, SIGKILL at 30 s (no preStop: requests still routed to '
        "it may fail).",
    ]
    mermaid = explain(path, "-f", "mermaid")
    assert ("Pod never Ready: the startup probe of container fire-deployment-name errors on every run "
            "(no pod-ready milestone).") in mermaid
    assert "pod-ready" not in mermaid.split("```mermaid", 1)[1]       # no milestone drawn
    html = explain(path, "-f", "html")
    assert "pod never Ready: the startup probe of container &quot;fire-deployment-name&quot; errors" in html


def test_rules_predict_no_kill_from_a_probe_that_errors():
    """PL205, PL206, PL211, PL105 ask the timeline; none may report a kill or a
    startup time for the probe whose results are discarded."""
    from tests.helpers import lint_only

    text = (FIXTURES / "startup_port.yaml").read_text()
    grace = text.replace("    spec:\n      containers:", "    spec:\n      terminationGracePeriodSeconds: 600\n"
                         "      containers:")
    config = {"assume": {"fire-deployment-name.startup": "100s", "dont-fire-deployment.startup": "100s"}}
    for code in ("PL205", "PL206", "PL211", "PL105"):
        found = [f for f in lint_only(code, grace, config) if f.code in (code, "PL000")]
        assert all(f.container != "fire-deployment-name" for f in found), found
        assert all(f.code != "PL000" for f in found)
    # ... while the container whose probe works is still flagged (recall kept).
    assert [f.container for f in lint_only("PL206", grace, config) if f.code == "PL206"] \
        == ["dont-fire-deployment"]


def test_the_startup_budget_counts_the_blocking_post_start():
    """redis-ha sentinel: postStart sleeps 30 s, startup probe 5/10/3: the first check
    waits for the hook, so the budget is 30 + 2 x 10 = 50 s, the table's kill time."""
    path = str(FIXTURES / "redis_ha_sentinel.yaml")
    (workload,) = json.loads(explain(path, "-f", "json"))["workloads"]
    deadline = next(e for e in workload["startup"] if e["event"] == "startup-probe-deadline")
    assert (deadline["container"], deadline["earliest"]) == ("sentinel", 50)
    lines = meaning(explain(path))
    assert lines[1] == (
        'Container "sentinel" must pass its startup probe within 50 s of starting to be safe (more if '
        "later starts delay the first check; no check runs before 30 s after its start, the wait for "
        "postStart and the starts after it); otherwise the kubelet kills and restarts it. Liveness and "
        "readiness probes wait for that success.")
    assert lines[2] == ('Container "sentinel" is killed by its startup probe from 50 s after admission if '
                        "it never passes the check.")
    from tests.helpers import lint_only

    text = Path(path).read_text()
    assert [f for f in lint_only("PL206", text, {"assume": {"sentinel.startup": "45s"}})
            if f.code == "PL206"] == []                 # 45 s fits in 50 s: no kill can happen
    [finding] = [f for f in lint_only("PL206", text, {"assume": {"sentinel.startup": "55s"}})
                 if f.code == "PL206"]
    assert finding.message == (
        'startupProbe of container "sentinel" guarantees only 50 s (its first check waits 30 s for '
        "postStart and the starts after it, more than initialDelaySeconds 5, + 2 x periodSeconds 10; "
        "more only if later starts are slow) but sentinel.startup is assumed to be 55 s: the container "
        "is killed before it is up, again and again")


def test_the_failure_window_is_f_minus_one_periods_to_f_periods_plus_timeout():
    """loap: liveness 10 s x 3, timeout 1: restart decided 20-31 s after the check
    starts failing (lifecycle-semantics 2.4), not "30 s of failed checks"; a hang's
    checks each wait the 1 s timeout, so the sentence about a hang says 21-31 s."""
    lines = meaning(explain(str(ROOT / "examples" / "loap.yaml")))
    assert lines[2] == (
        'If container "main" hangs, its liveness probe decides to restart it 21-31 s later (once '
        "failureThreshold checks in a row have timed out), then stops it with 30 s of grace before "
        "SIGKILL: restarted 51-63 s after the hang.")


def test_a_hang_is_decided_a_timeout_later_than_a_refused_check():
    """Issue 10, review seed 20261204 S059 (istio's prometheus add-on): period 15,
    timeout 10, failureThreshold 3. A hung server's third timed-out check ends 40 s
    after the hang at the earliest, not 30 s; the table states both windows, the
    sentence and PL211 the hang's, from the same numbers."""
    path = str(FIXTURES / "prometheus_hang.yaml")
    (workload,) = json.loads(explain(path, "-f", "json"))["workloads"]
    restart = next(e for e in workload["startup"] if e["event"] == "liveness-restart-earliest")
    assert restart["detail"] == (
        "in [x + 30, x + 55) if every liveness run fails from x (>= first run); in [x + 40, x + 55) "
        "if every run times out (10 s); kill grace 300 s, restart in the same sync")
    assert 'If container "prometheus-server" hangs, its liveness probe decides to restart it 40-55 s ' \
        "later (once failureThreshold checks in a row have timed out), then stops it with 300 s of grace " \
        "before SIGKILL: restarted 340-355 s after the hang." in meaning(explain(path))
    from tests.helpers import lint_only

    [finding] = [f for f in lint_only("PL211", Path(path).read_text()) if f.code == "PL211"]
    assert finding.message == (
        'livenessProbe of container "prometheus-server" has no terminationGracePeriodSeconds of its own '
        "and the pod's is 300 s: a hung container is restarted only after 3 checks 15 s apart have each "
        "timed out after 10 s (40 to 55 s after it hangs) plus the 300 s grace period: 340 to 355 s "
        "after it hangs")


def test_the_checker_catches_a_hang_sentence_with_the_fast_failure_window():
    """Control: the old sentence (the window of a refused connection, 30 s) is caught."""
    from dataclasses import replace

    (item,) = _explained([str(FIXTURES / "prometheus_hang.yaml")])
    timing = item.timeline.containers["prometheus-server"]
    item.timeline.containers["prometheus-server"] = replace(timing, hang_decision=timing.liveness_decision)
    assert any("decision (30.0, 55.0) vs table detail" in p for p in check_workload(item))


def test_findings_sit_under_the_row_they_are_about():
    lines = explain(str(FIXTURES / "probe_and_hook_rows.yaml")).splitlines()
    rows = {}
    current = None
    for line in lines:
        if line.startswith("  ") and not line.startswith("   ") and len(line.split()) > 1:
            current = line.split()[0]
        elif "^ PL210" in line:
            rows[current] = rows.get(current, []) + [line]
    assert [("livenessProbe" in x) for x in rows["liveness-probe-first"]] == [True]
    assert [("preStop" in x) for x in rows["pre-stop-completed"]] == [True]


def test_html_shows_a_known_post_start_duration():
    path = str(FIXTURES / "post_start_sleep.yaml")
    html = explain(path, "-f", "html")
    assert "postStart 10 s (blocks what follows)" in html
    assert "postStart runs, end unknown" not in html
    (workload,) = json.loads(explain(path, "-f", "json"))["workloads"]
    done = next(e for e in workload["startup"] if e["event"] == "post-start-completed")
    assert done["detail"].startswith("exec sleep, 10 s")
    assert 'Container "app" runs a postStart hook (10 s)' in explain(path)


def test_the_loap_sentences_the_docs_print_are_the_ones_explain_prints():
    """README.md and docs/explain.md show `podlint explain examples/loap.yaml`;
    every "What this means" line they print is what the command prints now."""
    actual = explain(str(ROOT / "examples" / "loap.yaml")).splitlines()
    for doc in ("README.md", "docs/explain.md"):
        text = (ROOT / doc).read_text()
        block = text.split("$ podlint explain examples/loap.yaml", 1)[1].split("```", 1)[0]
        shown = block.splitlines()
        start = shown.index("  What this means")
        said = [line for line in shown[start + 1:] if line.startswith("  - ")]
        assert said and all(line in actual for line in said), (doc, [s for s in said if s not in actual])
