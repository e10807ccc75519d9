"""No injection through output: one manifest whose names carry terminal escapes,
carriage returns, GitHub workflow commands, XML, HTML, Mermaid and DOT
syntax goes through every format of lint, explain and graph. No raw control
character reaches any output, GitHub annotations stay one line each, XML and
JSON parse, and the hostile value survives the JSON round trip unchanged.
(tests/test_reporters.py checks each reporter's escaping in detail.)"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from tests.robustness.support import HOSTILE, invoke

PATH = str(HOSTILE / "output_injection.yaml")
MOUNT = 'vol\r\n::stop-commands::token\n<![CDATA[x]]>&amp;\x01"];\\'
CONTAINER = "app\x1b[2J\x1b[31m\u202e%0A::error file=x,line=1::forged"
CONTROLS = {chr(c) for c in range(32) if chr(c) != "\n"} | {"\x7f", "\x85", "\u2028", "\u2029"}
BIDI = {"\u202e"}       # "Trojan Source": reorders what a reader of a terminal or page sees

COMMANDS = [("lint", "--no-config", "--select", "PL501", "-f", fmt)
            for fmt in ("text", "json", "sarif", "github", "junit")]
COMMANDS += [("explain", "--no-config", "-f", fmt) for fmt in ("text", "json", "html", "mermaid")]
COMMANDS += [("graph", "-f", fmt) for fmt in ("text", "json", "dot", "mermaid")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: f"{c[0]}-{c[-1]}")
def test_no_raw_control_character_in_any_output(command):
    """JSON outputs are for programs: valid JSON escapes every control
    character; human-readable ones must not carry bidi overrides either."""
    out = invoke(*command, PATH)
    assert out.exit_code in (0, 1)
    assert out.stdout
    raw = CONTROLS if command[-1] == "json" else CONTROLS | BIDI
    assert not raw & set(out.stdout), sorted(hex(ord(c)) for c in raw & set(out.stdout))
    assert not raw & set(out.stderr)
    if command[-1] == "json":
        json.loads(out.stdout)
    assert "<script>alert(1)" not in out.stdout


def test_text_output_cannot_forge_lines():
    lines = invoke("lint", "--no-config", "--select", "PL501", PATH).stdout.splitlines()
    assert len(lines) == 3                          # the finding, its hint, the summary
    assert lines[0].startswith(f"{PATH}:15:17: PL501 [error] ")
    assert lines[1].startswith('  hint: add a volume named "vol\\r\\n::')   # the name, escaped
    assert lines[2].startswith("1 finding (1 error) in 1 file")


def test_github_annotations_stay_one_command_each():
    lines = invoke("lint", "--no-config", "--select", "PL501", "-f", "github", PATH).stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"::error file={PATH},line=15,col=17,title=PL501 undefined-volume::")
    assert lines[1].startswith("::notice title=podlint summary::")
    message = lines[0].split("::", 2)[2]
    assert "\n" not in message and "\r" not in message
    assert "%0A::error" not in message            # a literal %0A cannot become a newline


def test_json_and_sarif_keep_the_value_exactly():
    report = invoke("lint", "--no-config", "--select", "PL501", "-f", "json", PATH).json()
    (finding,) = report["findings"]
    assert finding["container"] == CONTAINER
    assert f'volumeMount "{MOUNT}"' in finding["message"]
    sarif = json.loads(invoke("lint", "--no-config", "--select", "PL501", "-f", "sarif", PATH).stdout)
    assert MOUNT in sarif["runs"][0]["results"][0]["message"]["text"]


def test_junit_is_well_formed_xml():
    document = ET.fromstring(invoke("lint", "--no-config", "--select", "PL501", "-f", "junit", PATH).stdout)
    assert document.iter("failure") is not None
    assert len(list(document.iter("testcase"))) >= 1


def test_dot_output_parses():
    import pydot

    (graph,) = pydot.graph_from_dot_data(invoke("graph", "-f", "dot", PATH).stdout)
    assert any(CONTAINER.split("\x1b")[0] in (node.get("label") or "") for node in graph.get_nodes()) \
        or graph.get_subgraphs()
