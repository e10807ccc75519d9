"""The loader: files, directories and stdin in; documents with positions, or PL001
findings that point at the problem, out. Bad input never raises.

Real manifests live in tests/fixtures/loader/; inputs that editors or git would
mangle (binary, Latin-1, CRLF, BOM, UTF-16, huge or hostile files) are generated
in tmp_path. Positions are asserted for the default (hybrid: libyaml composes,
the round-trip constructor builds) path; the last tests prove the pure-Python
loader agrees with it key by key.
"""
from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from podlint import limits, loader
from podlint.cli import cli
from podlint.config import Settings
from podlint.helm import CHART_TEMPLATE, TEMPLATE_TEXT, template_text
from podlint.loader import (MAX_NESTING, STDIN_NAME, LoadedFile, Source, discover, load_source,
                            parse_parts, parse_text, read_source)
from podlint.run import lint_paths
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "loader"


def load(name: str, pure: bool = False) -> LoadedFile:
    return load_source(Source(str(FIXTURES / name)), pure=pure)


def problems(loaded: LoadedFile) -> list[tuple[str, int, int]]:
    return sorted((f.code, f.location.line, f.location.column) for f in loaded.findings)


def lint(paths, select=("PL5",)) -> list[tuple[str, int, int, str]]:
    """(file name, line, column, code) of a real run with only some rules on."""
    result = lint_paths([str(p) for p in paths], Settings(select=select))
    return [(Path(f.location.path).name if f.location.path != STDIN_NAME else STDIN_NAME,
             f.location.line, f.location.column, f.code) for f in result.findings]


def shape(loaded: LoadedFile) -> list[tuple]:
    """(index, line, column, item, type) of every document."""
    return [(d.index, d.line, d.column, d.item, type(d.data).__name__) for d in loaded.documents]


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("name,line,column,says", [
    ("invalid_indentation.yaml", 10, 7, "while parsing a block collection"),
    ("tab_indented.yaml", 4, 1, "tabs cannot indent YAML, use spaces"),
    ("duplicate_keys.yaml", 15, 7, 'duplicate key "containers" (first at line 12, column 7)'),
    ("undefined_alias.yaml", 11, 11, "undefined alias"),
])
def test_invalid_yaml_is_one_pl001_at_the_problem(name, line, column, says):
    loaded = load(name)
    assert problems(loaded) == [("PL001", line, column)]
    finding = loaded.findings[0]
    assert says in finding.message
    assert "\n" not in finding.message and "Traceback" not in finding.message
    assert finding.severity == "error" and finding.hint
    assert loaded.parse_failed


def test_duplicate_keys_are_reported_not_silently_resolved():
    loaded = load("duplicate_keys.yaml")
    assert loaded.documents == []          # neither value is kept
    assert "Kubernetes rejects it" in loaded.findings[0].message


def test_a_broken_document_does_not_hide_its_neighbours():
    loaded = load("bad_middle_document.yaml")
    assert problems(loaded) == [("PL001", 17, 1)]
    assert "while scanning a quoted scalar" in loaded.findings[0].message
    assert [(d.index, d.line) for d in loaded.documents] == [(0, 1), (2, 18)]
    assert lint([FIXTURES / "bad_middle_document.yaml"]) == [
        ("bad_middle_document.yaml", 10, 18, "PL501"),
        ("bad_middle_document.yaml", 17, 1, "PL001"),
        ("bad_middle_document.yaml", 27, 18, "PL501"),
    ]


@pytest.mark.parametrize("name", ["empty.yaml", "comments_only.yaml"])
def test_empty_and_comment_only_files_are_not_errors(name):
    loaded = load(name)
    assert loaded.documents == [] and loaded.findings == [] and not loaded.parse_failed


def test_scalar_and_list_documents_among_objects_are_pl001():
    loaded = load("scalar_and_list_documents.yaml")
    assert problems(loaded) == [("PL001", 1, 1), ("PL001", 3, 1), ("PL001", 7, 1)]
    messages = [f.message for f in sorted(loaded.findings, key=lambda f: f.location)]
    assert messages[0].startswith("document 1 is a string, not a Kubernetes object")
    assert messages[1].startswith("document 2 is a list, not a Kubernetes object")
    assert messages[2].startswith("document 3 is a scalar (42), not a Kubernetes object")
    # the real Pod after them is still linted
    assert ("scalar_and_list_documents.yaml", 18, 18, "PL501") in lint(
        [FIXTURES / "scalar_and_list_documents.yaml"])


@pytest.mark.parametrize("text", [
    "- hosts: all\n  tasks:\n    - ping:\n",                          # an Ansible playbook
    "- op: replace\n  path: /spec/replicas\n  value: 3\n",            # a JSON 6902 patch
    "just some text\n",
    "name: not-kubernetes\nsettings: {a: 1}\n",                       # no apiVersion/kind
])
def test_other_yaml_is_skipped_silently(text):
    loaded = parse_text(text, LoadedFile("other.yaml"))
    assert loaded.findings == []


def test_scalar_after_document_marker_points_at_the_scalar():
    text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n--- stray text\n---\n\n  # c\n  12\n"
    loaded = parse_text(text, LoadedFile("x.yaml"))
    assert problems(loaded) == [("PL001", 4, 5), ("PL001", 8, 3)]


def test_binary_file(tmp_path):
    path = tmp_path / "logo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    loaded = load_source(Source(str(path)))
    assert problems(loaded) == [("PL001", 1, 1)]
    assert loaded.findings[0].message == "not valid UTF-8 (byte 0x89 at offset 0)"


def test_binary_file_that_happens_to_be_valid_utf8(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_bytes(b"apiVersion: v1\nkind: Pod\x00\x01\x02\n")
    loaded = load_source(Source(str(path)))
    assert problems(loaded) == [("PL001", 2, 10)]
    assert loaded.findings[0].message.startswith("binary file")


def test_non_utf8_file_points_at_the_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n".encode("latin-1"))
    loaded = load_source(Source(str(path)))
    assert problems(loaded) == [("PL001", 4, 12)]
    assert loaded.findings[0].message == "not valid UTF-8 (byte 0xe9 at offset 52)"


def test_control_character(tmp_path):
    path = tmp_path / "bell.yaml"
    path.write_bytes(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\x07b\n")
    loaded = load_source(Source(str(path)))
    assert problems(loaded) == [("PL001", 4, 10)]
    assert "U+0007" in loaded.findings[0].message


def test_alias_bomb_is_refused_without_expanding_it(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")            # 9**9 = 387 million strings once expanded
    loaded = load_source(Source(str(path)))
    assert problems(loaded) == [("PL001", 1, 1)]
    assert "alias bomb" in loaded.findings[0].message
    assert loaded.documents == []


def test_ordinary_aliases_and_merge_keys_load():
    loaded = load("rendered_chart.yaml")
    assert loaded.findings == []
    labels = loaded.documents[2].data["metadata"]["labels"]
    assert dict(labels) == {"app.kubernetes.io/component": "web", "app.kubernetes.io/name": "shop",
                            "app.kubernetes.io/instance": "release-1"}


def test_python_tags_are_refused_never_constructed(tmp_path):
    path = tmp_path / "tag.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!python/object/apply:os.system [echo]\n")
    loaded = load_source(Source(str(path)))
    assert problems(loaded) == [("PL001", 4, 9)]
    assert "is not plain data" in loaded.findings[0].message


def test_deep_nesting_is_refused_before_libyaml_overflows_its_stack(tmp_path):
    # libyaml's C composer recurses per level and segfaults past ~20,000 levels.
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 50_000 + "]" * 50_000 + "\n")
    loaded = load_source(Source(str(path)))
    # the mapping is level 1, so level 5,001 is the 5,000th bracket (column 3 + 5,000)
    assert problems(loaded) == [("PL001", 1, 3 + MAX_NESTING)]
    assert "nesting is deeper than 5,000 levels" in loaded.findings[0].message
    compact = parse_text("- " * 30_000 + "x\n", LoadedFile("dashes.yaml"))
    assert problems(compact) == [("PL001", 1, 2 * MAX_NESTING + 1)]


def test_ten_megabyte_file_is_read_and_positions_hold(tmp_path):
    blob_line = "    " + "x" * 1019 + "\n"
    count = 10 * 1024 * 1024 // len(blob_line) + 1
    pod = ("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: after\nspec:\n  containers:\n"
           "    - name: app\n      image: nginx:1.27\n      volumeMounts:\n"
           "        - {name: missing, mountPath: /m}\n")
    path = tmp_path / "big.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n"
                    + blob_line * count + pod)
    assert path.stat().st_size > 10 * 1024 * 1024
    loaded = load_source(Source(str(path)))
    assert loaded.findings == []
    assert [(d.index, d.line) for d in loaded.documents] == [(0, 1), (1, 6 + count + 2)]
    assert len(loaded.documents[0].data["data"]["blob"]) == count * (len(blob_line) - 4)
    assert lint([path], select=("PL501",)) == [("big.yaml", 6 + count + 11, 18, "PL501")]


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: 1\n" * 300)
    loaded = load_source(Source(str(path)), max_file_size=1000)
    assert problems(loaded) == [("PL001", 1, 1)]
    assert "1,500 bytes, over the limit of 1,000" in loaded.findings[0].message


# ----------------------------------------------------------------------------- big bundles

DEPLOYMENT_SERVICE = (ROOT / "benchmarks" / "data" / "deployment-service.yaml").read_text()   # 198 nodes
BOMB_DOCUMENT = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"
                 "  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                 "  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n")           # 1,100 nodes once expanded


def bundle(copies: int) -> str:
    return "---\n".join(DEPLOYMENT_SERVICE.replace("checkout", f"checkout-{n}") for n in range(copies))


def test_the_node_limit_is_per_document_so_a_bundle_of_any_size_is_read(monkeypatch):
    """The real limits are 1,000,000 nodes; scaled down 1,000 times here so that
    the bundle is small: 100 copies of a 198-node file hold 19,800 nodes, 20 times
    the limit, and are read; one document past it refuses the file before it is
    composed; a small alias bomb in the same bundle is refused alone."""
    monkeypatch.setattr(limits, "MAX_DOCUMENT_NODES", 1_000)
    monkeypatch.setattr(limits, "MAX_EXPANDED_NODES", 1_000)
    text = bundle(100)
    loaded = parse_text(text, LoadedFile("bundle.yaml"))
    assert loaded.findings == [] and len(loaded.documents) == 200
    lines = text.count("\n")
    big = parse_text(text + "---\nitems:\n" + "- a\n" * 1_000, LoadedFile("big.yaml"))
    assert [(f.location.line, f.message) for f in big.findings] == [
        (lines + 1, "document holds more than 1,000 YAML nodes; file not read (podlint's memory "
                    "bound, see docs/robustness.md)")]
    assert big.documents == []
    bombed = parse_text(text + "---\n" + BOMB_DOCUMENT, LoadedFile("bombed.yaml"))
    assert [(f.location.line, f.message) for f in bombed.findings] == [
        (lines + 2, "aliases expand to more than 1,000 nodes (YAML alias bomb); document not read")]
    assert len(bombed.documents) == 200


def test_a_file_comes_in_parts_that_add_up_to_the_whole(monkeypatch):
    """Parts cut between documents; together they hold each document, finding and
    directive once, every directive in the part that holds the line it silences,
    and a stray scalar document is reported once objects turn up in a later part."""
    tail = bundle(10).replace("FallbackToLogsOnError", "FallbackToLogsOnError  # podlint: ignore=PL401") \
        .replace("          lifecycle:", "          # podlint: ignore=PL202\n          lifecycle:")
    text = ("just a string\n---\n" + bundle(30) + "---\napiVersion: v1\nkind: Pod\n"
            "metadata: {name: dup, name: again}\n---\n" + tail + "---\n[a: b\n")
    whole = parse_text(text, LoadedFile("stream.yaml"))
    parts = list(parse_parts(text, "stream.yaml", part_chars=10_000))
    assert len(parts) > 5 and all(part.documents for part in parts[:-1])
    joined = [(d.index, d.line, d.column) for part in parts for d in part.documents]
    assert joined == [(d.index, d.line, d.column) for d in whole.documents]
    found = sorted((f.location.line, f.message[:29]) for f in whole.findings)
    assert found == sorted((f.location.line, f.message[:29]) for part in parts for f in part.findings)
    lines = text.count("\n")
    assert found == [(1, "document 1 is a string, not a"), (text[:text.index("{name: dup")].count("\n") + 1, 'duplicate key "name" (first a'),
                     (lines + 1, "invalid YAML: did not find ex")]
    assert [d for part in parts for d in part.directives] == whole.directives
    assert len(whole.directives) == 20
    for part in parts:
        lines = [d.line for d in part.documents]
        for directive in part.directives:
            assert not lines or lines[0] <= directive.target


def test_output_is_the_same_whatever_the_part_size(monkeypatch, tmp_path):
    path = tmp_path / "bundle.yaml"
    text = (bundle(40).replace("readOnly: true", "readOnly: false")
            + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: dup, name: again}\n---\n"
            + DEPLOYMENT_SERVICE.replace("name: config\n", "name: cfg\n", 1))
    path.write_text(text)
    whole = lint([path], select=("ALL",))
    monkeypatch.setattr(loader, "PART_CHARS", 3_000)
    assert lint([path], select=("ALL",)) == whole
    codes = {code for *_, code in whole}
    assert {"PL001", "PL501", "PL502"} <= codes
    assert ("bundle.yaml", text[:text.index("{name: dup")].count("\n") + 1, 23, "PL001") in whole


def test_graph_reads_a_file_part_by_part_with_the_same_output(monkeypatch, tmp_path):
    path = tmp_path / "bundle.yaml"
    path.write_text(bundle(20) + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: dup, name: again}\n")
    whole = CliRunner().invoke(cli, ["graph", "-f", "json", str(path)])
    monkeypatch.setattr(loader, "PART_CHARS", 3_000)
    parts = CliRunner().invoke(cli, ["graph", "-f", "json", str(path)])
    assert (parts.exit_code, parts.stdout, parts.stderr) == (whole.exit_code, whole.stdout, whole.stderr)
    assert whole.exit_code == 2 and len(json.loads(whole.stdout)["workloads"]) == 20


def test_after_a_hundred_syntax_errors_the_rest_of_a_file_is_left():
    text = "".join(f"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{n}\n" for n in range(150))
    loaded = parse_text(text, LoadedFile("broken.yaml"))
    assert len(loaded.findings) == 101
    assert loaded.findings[-1].message == ("more than 100 YAML syntax errors; the rest of the file "
                                           "is not read")


def test_unreadable_sources(tmp_path):
    missing = load_source(discover([str(tmp_path / "nope.yaml")])[0])
    assert problems(missing) == [("PL001", 1, 1)]
    assert missing.findings[0].message == "cannot read: no such file or directory"
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    loaded = load_source(Source(str(fifo)))
    assert "not a regular file" in loaded.findings[0].message


# ----------------------------------------------------------------------------- Helm charts

HELM = FIXTURES / "helm"


def lint_json(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["lint", "--no-config", "--select", "PL0,PL5", "-f", "json", *args])
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("name", ["deployment.yaml", "configmap.yaml", "serviceaccount.yaml"])
def test_files_in_a_charts_templates_folder_are_skipped_whether_they_parse_or_not(name):
    loaded = load_source(Source(str(HELM / "shop" / "templates" / name)))
    assert (loaded.skipped, loaded.findings, loaded.documents) == (CHART_TEMPLATE, [], [])


def test_the_template_that_parses_would_be_linted_as_yaml():
    """deployment.yaml is the case that slipped through: valid YAML (a plain
    `{{ include ... }}` is a flow mapping), so only its place or its actions say
    it is a template."""
    text = (HELM / "shop" / "templates" / "deployment.yaml").read_text()
    from ruamel.yaml import YAML
    assert YAML().load(text)["kind"] == "Deployment"
    assert template_text(text) == TEMPLATE_TEXT


def test_chart_metadata_beside_the_templates_is_read_quietly():
    for name in ("Chart.yaml", "values.yaml"):
        loaded = load_source(Source(str(HELM / "shop" / name)))
        assert (loaded.skipped, loaded.findings, len(loaded.documents)) == (None, [], 1)


@pytest.mark.parametrize("name", ["outside_a_chart.yaml", "variables_only.yaml"])
def test_template_actions_skip_a_file_outside_a_chart(name):
    loaded = load_source(Source(str(HELM / name)))
    assert (loaded.skipped, loaded.findings, loaded.documents) == (TEMPLATE_TEXT, [], [])


def test_rendered_helm_output_with_braces_inside_strings_is_linted():
    loaded = load_source(Source(str(HELM / "rendered.yaml")))
    assert loaded.skipped is None and loaded.findings == []
    assert [d.data["kind"] for d in loaded.documents] == ["PrometheusRule", "ConfigMap", "Deployment"]
    assert lint([HELM / "rendered.yaml"]) == [("rendered.yaml", 52, 21, "PL501")]


@pytest.mark.parametrize("text,reason", [
    ('summary: "{{ $labels.instance }} is down"\n', None),                 # Prometheus, in a string
    ("description: |\n  {{ range .Alerts }}{{ .Labels.x }}{{ end }}\n", None),   # a block scalar
    ('args: ["--name={{workflow.name}}"]\nstep: echo {{inputs.x}}\n', None),     # Argo, in strings
    ("# set {{ .Values.replicas }} in values.yaml\na: 1\n", None),        # a comment
    ("a: b # {{ .Values.replicas }}\n", None),
    ('a: "{{ x }}"\nb: [\n', None),           # a real syntax error after an action in a string
    ('image: "{{ .Values.image }}"\n', TEMPLATE_TEXT),                      # Helm's objects, quoted
    ("replicas: {{ $n }}\n", TEMPLATE_TEXT),                                # YAML reads a flow mapping
    ("{{- if $x }}\na: 1\n{{- end }}\n", TEMPLATE_TEXT),                    # an action on its own line
    ("a: b\n---\nc: {{ $x }}\n", TEMPLATE_TEXT),                            # in a later document
    ("a: [b\nc: {{ $x }}\n", TEMPLATE_TEXT),                                # after the text stops parsing
])
def test_which_go_template_actions_make_a_template(text, reason):
    assert template_text(text) == reason


def test_helm_chart_through_the_cli():
    code, report = lint_json(str(HELM))
    assert code == 1
    assert [(Path(f["path"]).name, f["line"], f["code"]) for f in report["findings"]] == [
        ("rendered.yaml", 52, "PL501")]
    assert [(str(Path(s["path"]).relative_to(HELM)), s["reason"]) for s in report["summary"]["skipped"]] == [
        ("outside_a_chart.yaml", TEMPLATE_TEXT),
        ("shop/templates/configmap.yaml", CHART_TEMPLATE),
        ("shop/templates/deployment.yaml", CHART_TEMPLATE),
        ("shop/templates/serviceaccount.yaml", CHART_TEMPLATE),
        ("variables_only.yaml", TEMPLATE_TEXT)]
    summary = report["summary"]
    assert (summary["files"], summary["files_linted"], summary["files_skipped"]) == (8, 3, 5)
    text = CliRunner().invoke(cli, ["lint", "--no-config", str(HELM / "shop" / "templates")]).stdout
    assert f"{HELM / 'shop' / 'templates' / 'deployment.yaml'}: skipped: {CHART_TEMPLATE}\n" in text


def test_helm_chart_files_passed_one_by_one_as_pre_commit_does(monkeypatch):
    """pre-commit hands over the staged files by name, relative to the repository."""
    monkeypatch.chdir(HELM / "shop")
    code, report = lint_json("Chart.yaml", "values.yaml", "templates/deployment.yaml",
                             "templates/configmap.yaml", "templates/serviceaccount.yaml")
    assert code == 0 and report["findings"] == []
    assert [s["path"] for s in report["summary"]["skipped"]] == [
        "templates/configmap.yaml", "templates/deployment.yaml", "templates/serviceaccount.yaml"]
    assert report["summary"]["files_linted"] == 2


def test_unrendered_helm_template_is_skipped_not_an_error(tmp_path):
    path = tmp_path / "deployment.yaml"
    path.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                    "  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n"
                    "  template:\n    {{- include \"pod\" . | nindent 4 }}\n")
    loaded = load_source(Source(str(path)))
    assert loaded.findings == [] and loaded.skipped.startswith("Go template markers")


def test_trailing_tabs_are_accepted_like_kubernetes_does():
    # libyaml (and so Kubernetes) accepts a tab after a value; design.md says
    # they are not a parse error. (The pure-Python parser rejects them.)
    loaded = parse_text("apiVersion: v1\t\nkind: Service\t\nmetadata: {name: a}\n", LoadedFile("t.yaml"))
    assert loaded.findings == [] and loaded.documents[0].data["kind"] == "Service"


# ----------------------------------------------------------------------------- good input

def test_multi_document_stream():
    loaded = load("multi_document.yaml")
    assert loaded.findings == []
    assert shape(loaded) == [(0, 3, 1, None, "YamlMap"), (1, 1, 1, None, "NoneType"),
                             (2, 12, 1, None, "YamlMap"), (3, 22, 1, None, "YamlMap")]
    assert [d.data["kind"] for d in loaded.documents if d.data] == ["ConfigMap", "Service", "Deployment"]
    assert lint([FIXTURES / "multi_document.yaml"]) == [("multi_document.yaml", 44, 21, "PL501")]


def test_json_manifest_with_tab_indentation():
    loaded = load("deployment.json")
    assert loaded.findings == []
    assert shape(loaded) == [(0, 1, 1, None, "YamlMap")]
    assert lint([FIXTURES / "deployment.json"]) == [("deployment.json", 14, 32, "PL501")]


def test_kind_list_items_become_documents():
    loaded = load("list_kind.yaml")
    assert loaded.findings == []
    # the null item carries no object and is dropped; item numbers are kept
    assert shape(loaded) == [(0, 7, 5, 0, "YamlMap"), (0, 13, 5, 1, "YamlMap"),
                             (0, 32, 5, 3, "YamlMap")]
    assert [d.data["kind"] for d in loaded.documents] == ["Service", "StatefulSet", "Pod"]
    assert lint([FIXTURES / "list_kind.yaml"]) == [("list_kind.yaml", 29, 25, "PL501")]


def test_kind_list_whose_items_are_not_a_list_is_pl002():
    loaded = load("list_kind_bad_items.yaml")
    assert problems(loaded) == [("PL002", 3, 8)]
    assert loaded.findings[0].message == "kind: List has items of type str, not a list"


@pytest.mark.parametrize("encode", [
    pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.encode(), id="utf8-bom"),
    pytest.param(lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), id="bom+crlf"),
    pytest.param(lambda text: text.encode("utf-16"), id="utf16-bom"),
])
def test_line_endings_and_byte_order_marks_keep_every_position(tmp_path, encode):
    text = (FIXTURES / "multi_document.yaml").read_text()
    path = tmp_path / "multi_document.yaml"
    path.write_bytes(encode(text))
    reference = load("multi_document.yaml")
    loaded = load_source(Source(str(path)))
    assert loaded.findings == []
    assert shape(loaded) == shape(reference)
    assert loaded.documents[0].data["data"]["nginx.conf"] == "server { listen 8080; }\n"
    assert lint([path]) == [("multi_document.yaml", 44, 21, "PL501")]


# ----------------------------------------------------------------------------- paths

def test_directories_are_searched_recursively_sorted_and_hidden_folders_skipped(tmp_path):
    files = ["b.yaml", "a/z.yml", "a/b/c.json", "A.yaml", "a/.hidden/x.yaml", ".git/config.yaml",
             "a/.dotfile.yaml", "a/notes.md", "a/values.txt", "c/d/e/deep.YAML"]
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
    found = [os.path.relpath(s.path, tmp_path) for s in discover([str(tmp_path)])]
    assert found == ["A.yaml", "a/b/c.json", "a/z.yml", "b.yaml", "c/d/e/deep.YAML"]
    # a file named explicitly is read whatever its suffix; duplicates collapse
    explicit = discover([str(tmp_path / "a/notes.md"), str(tmp_path), str(tmp_path / "b.yaml")])
    assert [os.path.relpath(s.path, tmp_path) for s in explicit] == [
        "A.yaml", "a/b/c.json", "a/notes.md", "a/z.yml", "b.yaml", "c/d/e/deep.YAML"]


def test_order_of_paths_does_not_change_the_output(tmp_path):
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text((FIXTURES / "multi_document.yaml").read_text())
    forward = lint([tmp_path / "one.yaml", tmp_path / "two.yaml"])
    backward = lint([tmp_path / "two.yaml", tmp_path / "one.yaml"])
    assert forward == backward == [("one.yaml", 44, 21, "PL501"), ("two.yaml", 44, 21, "PL501")]


def test_stdin(monkeypatch):
    data = (FIXTURES / "multi_document.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert [s.path for s in discover(["-"])] == [STDIN_NAME]
    loaded = load_source(Source(STDIN_NAME))
    assert shape(loaded) == shape(load("multi_document.yaml"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert lint(["-"]) == [(STDIN_NAME, 44, 21, "PL501")]


# ----------------------------------------------------------------------------- hybrid == pure

AGREEMENT_FILES = sorted(
    [p for folder in ("rules", "loader") for p in (ROOT / "tests" / "fixtures" / folder).rglob("*")
     if p.suffix in (".yaml", ".yml", ".json")]
    + list((ROOT / "examples").glob("*.yaml")))


def _scalar(value):
    """Comparable form of a scalar (TaggedScalar has no __eq__)."""
    if hasattr(value, "tag") and hasattr(value, "value") and not isinstance(value, (str, int, float)):
        return ("tagged", str(value.tag), value.value)
    return (type(value).__name__, value)


def _empty_value(lines: list[str], key_line: int, key_column: int) -> bool:
    """`key:` with nothing but a comment after the colon."""
    rest = lines[key_line][key_column:]
    colon = rest.find(":")
    return colon >= 0 and rest[colon + 1:].split(" #")[0].strip() == ""


def _family(value) -> str:
    """The hybrid path builds ordinary documents as podlint.construct's YamlMap and
    YamlSeq and block scalars as plain str, where the pure loader builds ruamel's
    CommentedMap, CommentedSeq and str subclasses: same data, same positions."""
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "sequence"
    return "str" if isinstance(value, str) and type(value).__name__ != "TaggedScalar" else type(value).__name__


def _walk(hybrid, pure, lines, path, out, empties):
    if _family(hybrid) != _family(pure):
        out.append((path, "type", type(hybrid).__name__, type(pure).__name__))
        return
    if isinstance(hybrid, dict):
        assert list(hybrid) == list(pure), path
        assert (hybrid.lc.line, hybrid.lc.col) == (pure.lc.line, pure.lc.col), path
        for key in hybrid:
            here = path + [key]
            a, b = hybrid.lc.data.get(key), pure.lc.data.get(key)
            if a is None or b is None:          # keys from a merge (<<) carry no position
                assert a is None and b is None, here
            else:
                assert a[:2] == b[:2], (here, "key", a, b)
                if hybrid[key] is None and _empty_value(lines, a[0], a[1]):
                    # libraries.md 2.2: for `key:` with nothing after it, libyaml puts the
                    # value just after the colon, the pure parser at the next token.
                    assert a[2] == a[0] and a[3] > a[1], (here, "hybrid empty value", a)
                    assert (b[2], b[3]) > (a[2], a[3]), (here, "pure empty value", b)
                    empties.append(here)
                else:
                    assert a[2:] == b[2:], (here, "value", a, b)
            _walk(hybrid[key], pure[key], lines, here, out, empties)
    elif isinstance(hybrid, list):
        assert len(hybrid) == len(pure), path
        assert (hybrid.lc.line, hybrid.lc.col) == (pure.lc.line, pure.lc.col), path
        for index in range(len(hybrid)):
            assert hybrid.lc.item(index) == pure.lc.item(index), (path + [index], "item")
            _walk(hybrid[index], pure[index], lines, path + [index], out, empties)
    elif _scalar(hybrid) != _scalar(pure) and not (isinstance(pure, str) and hybrid == pure):
        out.append((path, "scalar", hybrid, pure))


def test_the_agreement_set_is_real_and_multi_document():
    assert len(AGREEMENT_FILES) >= 40
    multi = [p for p in AGREEMENT_FILES if len(load_source(Source(str(p))).documents) > 1]
    assert len(multi) >= 8


@pytest.mark.parametrize("path", AGREEMENT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_hybrid_and_pure_loaders_agree_on_documents_and_every_position(path):
    hybrid = load_source(Source(str(path)))
    pure = load_source(Source(str(path)), pure=True)
    assert problems(hybrid) == problems(pure)
    assert [row[:4] for row in shape(hybrid)] == [row[:4] for row in shape(pure)]
    text, _ = read_source(Source(str(path)))
    lines = (text or "").split("\n")
    out, empties = [], []
    for a, b in zip(hybrid.documents, pure.documents):
        _walk(a.data, b.data, lines, [a.index], out, empties)
    assert out == []


def test_empty_values_are_the_one_known_position_difference():
    hybrid, pure = load("rendered_chart.yaml"), load("rendered_chart.yaml", pure=True)
    data_h, data_p = hybrid.documents[0].data["data"], pure.documents[0].data["data"]
    assert data_h["empty-key"] is None and data_p["empty-key"] is None
    assert data_h.lc.key("empty-key") == data_p.lc.key("empty-key") == (15, 2)
    assert data_h.lc.value("empty-key") == (15, 12)      # just after the colon
    assert data_p.lc.value("empty-key") == (16, 2)       # the next token ("folded")
    empties = []
    for a, b in zip(hybrid.documents, pure.documents):
        _walk(a.data, b.data, (FIXTURES / "rendered_chart.yaml").read_text().split("\n"),
              [a.index], [], empties)
    assert [e[-1] for e in empties] == ["annotations", "empty-key", "revisionHistoryLimit",
                                        "value", "emptyDir"]


def test_json_surrogate_pair_escapes_are_characters_not_errors():
    # json.dumps (ensure_ascii) writes U+1F600 as "\ud83d\ude00"; libyaml alone rejects it
    document = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "emoji"},
                "data": {"smile": "\U0001F600 caf\u00e9", "literal": "\\ud83d\\ude00"}}
    text = json.dumps(document).replace("}}", ', "lone": "\\ud800x"}}')
    for pure in (False, True):
        loaded = parse_text(text, LoadedFile("emoji.json"), pure=pure)
        assert loaded.findings == []
        assert dict(loaded.documents[0].data["data"]) == {
            "smile": "\U0001F600 caf\u00e9", "literal": "\\ud83d\\ude00", "lone": "\ufffdx"}
