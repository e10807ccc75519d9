"""Start-up stays cheap: `--version`, `--help` and importing the CLI must not load
networkx (~120 ms), jsonschema (~70 ms) or the schema module (libraries.md 3.4).
Each check runs in a fresh interpreter, since this test process has them loaded."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT

HEAVY = ("networkx", "jsonschema", "podlint.schema")

PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
if argv is None:
    import podlint.cli
else:
    from podlint.cli import main
    try:
        main(argv)
    except SystemExit as exit:
        assert exit.code in (0, None), exit.code
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("networkx", "jsonschema")
                or m == "podlint.schema")
sys.stderr.write("LOADED " + json.dumps(loaded) + "\\n")
"""


def loaded_after(argv: list[str] | None) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    (line,) = [line for line in run.stderr.splitlines() if line.startswith("LOADED ")]
    return json.loads(line[len("LOADED "):])


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["lint", "--help"]],
                         ids=" ".join)
def test_cheap_commands_do_not_import_heavy_modules(argv):
    assert loaded_after(argv) == []


def test_importing_the_cli_does_not_import_networkx():
    assert not [m for m in loaded_after(None) if m.startswith("networkx")]


def test_the_console_script_path_works():
    run = subprocess.run([sys.executable, "-m", "podlint", "--version"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.startswith("podlint ")


def test_the_probe_does_see_heavy_imports():
    # control: a command that needs the graph does load networkx
    assert any(m.startswith("networkx") for m in loaded_after(["graph", "examples/web.yaml"]))
