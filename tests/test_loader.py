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

from podlint.config import Settings
from podlint.loader import (MAX_NESTING, STDIN_NAME, LoadedFile, Source, discover, load_source,
                            parse_text, read_source)
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


def test_unreadable_sources(tmp_path):
    missing = load_source(discover([str(tmp_path / "nope.yaml")])[0])
    assert problems(missing) == [("PL001", 1, 1)]
    assert missing.findings[0].message == "cannot read: no such file or directory"
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    loaded = load_source(Source(str(fifo)))
    assert "not a regular file" in loaded.findings[0].message


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
    assert shape(loaded) == [(0, 3, 1, None, "CommentedMap"), (1, 1, 1, None, "NoneType"),
                             (2, 12, 1, None, "CommentedMap"), (3, 22, 1, None, "CommentedMap")]
    assert [d.data["kind"] for d in loaded.documents if d.data] == ["ConfigMap", "Service", "Deployment"]
    assert lint([FIXTURES / "multi_document.yaml"]) == [("multi_document.yaml", 44, 21, "PL501")]


def test_json_manifest_with_tab_indentation():
    loaded = load("deployment.json")
    assert loaded.findings == []
    assert shape(loaded) == [(0, 1, 1, None, "CommentedMap")]
    assert lint([FIXTURES / "deployment.json"]) == [("deployment.json", 14, 32, "PL501")]


def test_kind_list_items_become_documents():
    loaded = load("list_kind.yaml")
    assert loaded.findings == []
    # the null item carries no object and is dropped; item numbers are kept
    assert shape(loaded) == [(0, 7, 5, 0, "CommentedMap"), (0, 13, 5, 1, "CommentedMap"),
                             (0, 32, 5, 3, "CommentedMap")]
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


def _walk(hybrid, pure, lines, path, out, empties):
    if type(hybrid) is not type(pure):
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
    elif _scalar(hybrid) != _scalar(pure):
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
    assert shape(hybrid) == shape(pure)
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
