"""podlint.shell: which `-c` scripts keep the shell as PID 1 for certain.

The expectations follow the shells' sources (module docstring): dash and busybox
ash exec the last command of `-c` (also after ; && ||) unless a trap is set;
bash execs a last simple command without redirections (after && || since 4.4,
after ; since 5.1). Only what holds for every shell and version is claimed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from podlint.shell import analyse, shell_script


class _C:
    def __init__(self, raw):
        self.raw = raw


@pytest.mark.parametrize("script,expected", [
    ("server & other & wait", "wait"),
    ("while true; do server; sleep 5; done", "loop"),
    ("server 2>&1 | tee /log", "pipeline"),
    ("trap cleanup EXIT; server", "trap"),
    ("echo start\nuntil false; do\n  server\ndone\n", "loop"),
    ("a 'b;c' | d", "pipeline"),
])
def test_certain_for_every_shell(script, expected):
    for shell in ("sh", "dash", "ash", "bash"):
        reason = analyse(shell, script)
        assert reason is not None and expected in reason, (shell, script, reason)


@pytest.mark.parametrize("script", [
    "migrate && server",             # dash/ash/bash 4.4+ exec server; older bash does not
    "source env; server",            # bash 5.1+ execs, 5.0 does not
    "exec server",
    "python migrate.py && exec gunicorn app:app",
    "trap 'kill $PID' TERM; server & PID=$!; wait",
    "trap '' SIGTERM; server | tee log",
    "if [ -f x ]; then server; fi",  # dash/ash exec inside if; not judged
    "(server)",
    "server &",                      # the shell exits at once: another story
    "while true; do exec server; done",
    "nginx -g 'daemon off;'",
    "echo 'unclosed",
])
def test_not_claimed(script):
    assert analyse("sh", script) is None


def test_bash_redirection_is_bash_only():
    assert "redirection" in analyse("bash", "./egress >> /var/log/egress.log 2>&1")
    assert analyse("sh", "./egress >> /var/log/egress.log 2>&1") is None


@pytest.mark.parametrize("raw,shell", [
    ({"command": ["/bin/sh", "-c", "x"]}, "sh"),
    ({"command": ["bash", "-ec", "x"]}, "bash"),
    ({"command": ["busybox", "sh", "-c", "x"]}, "ash"),
    ({"command": ["/usr/bin/env", "FOO=1", "sh", "-c", "x"]}, "sh"),
    ({"command": ["sh", "-c"], "args": ["x"]}, "sh"),
])
def test_shell_script_found(raw, shell):
    assert shell_script(_C(raw))[0] == shell


@pytest.mark.parametrize("raw", [
    {"args": ["sh", "-c", "x"]},                     # ENTRYPOINT unknown
    {"command": ["tini", "--", "sh", "-c", "x"]},    # an init is PID 1
    {"command": ["dumb-init", "sh", "-c", "x"]},
    {"command": ["sh", "/entrypoint.sh"]},           # a script file: unread
    {"command": ["zsh", "-c", "x"]},                 # not judged
    {"command": "sh -c x"},
])
def test_shell_script_not_found(raw):
    assert shell_script(_C(raw)) is None


def test_timeline_says_the_shell_drops_the_signal():
    from tests.test_timeline import timeline_of

    text = (Path(__file__).parent / "fixtures/rules/PL307/fail_reports.yaml").read_text()
    timeline = timeline_of(text)
    stop = timeline.event("stop-signal", "api")
    assert stop.detail.endswith("delivered to the shell, which ignores it (sh stays PID 1: the script "
                                "ends in a pipeline, whose stages the shell forks and waits for): "
                                "exits at SIGKILL")
    assert timeline.timing("api").exited == timeline.timing("api").sigkill
    # a container whose shell execs the server keeps the ordinary sentence
    ok = timeline_of((Path(__file__).parent / "fixtures/rules/PL307/pass_shell_execs_or_handles.yaml")
                     .read_text().split("---")[0])
    assert "ignores it" not in ok.event("stop-signal", "exec").detail


def test_explain_story_says_the_shell_drops_the_signal():
    from click.testing import CliRunner

    from podlint.cli import cli

    path = Path(__file__).parent / "fixtures/rules/PL307/fail_reports.yaml"
    output = CliRunner().invoke(cli, ["explain", str(path)]).output
    assert ('"api" gets SIGTERM at 0 s, SIGKILL at 120 s (no preStop: requests still routed to it may '
            "fail). Its SIGTERM goes to a shell kept as PID 1, which drops it: it ends only at SIGKILL "
            "(PL307).") in output


@pytest.mark.parametrize("script,periodic", [
    ("while true; do date > /mnt/index.html; hostname >> /mnt/index.html; sleep 5; done", True),
    ("while true; do RESP=$(wget -q -O- http://svc); echo $RESP; sleep 3; done", True),
    ("while true; do ./server --port 8080; sleep 5; done", False),     # a restart loop
    ("while true; do locust -f /config/locustfile.py; done", False),
])
def test_periodic_loops(script, periodic):
    from podlint.shell import pid1_shell
    found = pid1_shell(_C({"command": ["sh", "-c", script]}))
    assert found is not None and found.periodic is periodic


def test_pl307_reports_by_what_the_loop_runs():
    from tests.helpers import lint_only

    fixtures = Path(__file__).parent / "fixtures/rules/PL307"
    periodic = lint_only("PL307", (fixtures / "pass_periodic_loop.yaml").read_text())
    assert periodic == []           # only a delete waits: noise in issue 10's reviews
    reports = lint_only("PL307", (fixtures / "fail_reports.yaml").read_text())
    assert {f.container: f.severity for f in reports} == {
        "graylog": "warning", "workers": "warning", "api": "warning", "restarter": "warning",
        "logger": "warning"}
