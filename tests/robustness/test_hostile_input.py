"""Hostile and broken input: each case is a real file (committed under
tests/fixtures/hostile/, or generated in tmp_path when it is big) and the exact
findings podlint gives for it. Nothing raises, nothing hangs (subprocess runs
have a timeout), memory stays bounded (an address-space limit), and the rest of
the file or run is still linted."""
from __future__ import annotations

import json
import resource
import shutil

import pytest

from podlint.loader import Source, load_source
from tests.robustness.support import HOSTILE, assert_accounted, assert_locations_valid, invoke, \
    podlint, text_of

MISSING_VOLUME = 'volumeMount "missing" of container "app" names no volume of the pod; ' \
                 "the API server rejects it"
BOMB = "aliases expand to more than 1,000,000 nodes (YAML alias bomb); document not read"
SELECT = "PL000,PL001,PL002,PL501,PL503"
POD_HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\n"
POD_TAIL = ("spec:\n  containers:\n    - name: app\n      image: \"nginx:1.27\"\n"
            "      volumeMounts: [{name: missing, mountPath: /data}]\n")
MEMORY_LIMIT = 512 * 2**20          # address space of the whole podlint process


def lint(*paths: str, select: str = SELECT, extra: tuple[str, ...] = ()):
    out = invoke("lint", "--no-config", "--select", select, "-f", "json", *extra, *paths)
    report = out.json()
    assert_accounted(report["summary"])
    return out.exit_code, [(f["line"], f["column"], f["code"], f["message"]) for f in report["findings"]]


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded_run(*args: str, cwd=None):
    """A real process under a 512 MiB address-space limit and a timeout: a bomb
    that expanded would die of MemoryError or time out instead of passing."""
    import subprocess
    import sys

    from tests.robustness.support import ROOT
    done = subprocess.run([sys.executable, "-m", "podlint", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, preexec_fn=_limit_memory,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr
    return done


# ----------------------------------------------------------------------------- aliases

def test_billion_laughs_is_refused_in_bounded_memory_and_the_next_document_is_linted():
    path = str(HOSTILE / "billion_laughs.yaml")
    assert lint(path) == (2, [(2, 1, "PL001", BOMB), (26, 17, "PL501", MISSING_VOLUME)])
    done = bounded_run("lint", "--no-config", "--select", "ALL", path)
    assert done.returncode == 2
    assert f"billion_laughs.yaml:2:1: PL001 [error] {BOMB}" in done.stdout


def test_merge_key_fan_out_is_refused_in_bounded_memory():
    path = str(HOSTILE / "merge_fanout.yaml")
    assert lint(path) == (2, [(3, 1, "PL001", BOMB)])
    for command in (("lint", "--no-config", "--select", "ALL"), ("explain", "--no-config"), ("graph",)):
        done = bounded_run(*command, path)
        assert done.returncode == 2, command


def test_anchors_and_merge_keys_are_resolved():
    """The merged container inherits the anchored one's mounts and its name."""
    assert lint(str(HOSTILE / "anchors_merge.yaml")) == (1, [
        (17, 21, "PL501", MISSING_VOLUME),      # container 1
        (17, 21, "PL501", MISSING_VOLUME),      # container 2, through <<: *base
        (20, 17, "PL503", 'container name "app" is already used by the main container at '
                          "line 14; the API server rejects the pod"),
    ])


# ----------------------------------------------------------------------------- nesting

@pytest.mark.parametrize("shape,opening,closing", [
    ("lists", "[", "]"),
    ("maps", "{a: ", "}"),
])
def test_ten_thousand_levels_of_nesting_are_a_finding(tmp_path, shape, opening, closing):
    path = tmp_path / f"deep-{shape}.yaml"
    path.write_text(POD_HEAD + "  annotations: {x: " + opening * 10_000 + "1" * (shape == "maps")
                    + closing * 10_000 + "}\n" + POD_TAIL)
    code, findings = lint(str(path))
    column = 20 + (5000 - 3) * len(opening)        # root, metadata and annotations are 3 levels
    assert (code, findings) == (2, [(5, column, "PL001", "nesting is deeper than 5,000 levels; "
                                                         "file not read")])
    for command in (("explain", "--no-config"), ("graph",)):
        out = invoke(*command, str(path))
        assert out.exit_code == 2, command


def test_block_nesting_past_the_depth_limit_is_a_finding(tmp_path):
    path = tmp_path / "deep-block.yaml"
    body = "".join("  " * (level + 1) + "a:\n" for level in range(300))
    path.write_text(POD_HEAD + "  labels:\n" + body + POD_TAIL.replace("spec:", "---\n" + POD_HEAD + "spec:"))
    code, findings = lint(str(path))
    assert (code, findings) == (2, [
        (132, 255, "PL001", "nesting is deeper than 128 levels; document not read"),
        (315, 29, "PL501", MISSING_VOLUME),
    ])


def test_depth_limit_is_the_same_in_every_process(tmp_path):
    """A RecursionError depends on how deep the caller's stack already is; the
    explicit limit does not: pytest's deep stack, a plain process and --jobs
    workers give the same answer for 129 and 128 levels."""
    for levels, expected in ((128, 1), (129, 2)):
        folder = tmp_path / str(levels)
        folder.mkdir()
        for number in range(20):
            (folder / f"f{number:02d}.yaml").write_text(
                "# " + "x" * 30_000 + "\n" + POD_HEAD + "  annotations: {x: "
                + "[" * (levels - 3) + "]" * (levels - 3) + "}\n" + POD_TAIL)    # + root, metadata, annotations
        in_process = invoke("lint", "--no-config", "--select", SELECT, "-f", "json", str(folder))
        serial = podlint("lint", "--no-config", "--select", SELECT, "-f", "json", "--jobs", "1", str(folder))
        parallel = podlint("lint", "--no-config", "--select", SELECT, "-f", "json", "--jobs", "2", str(folder))
        assert in_process.stdout == serial.stdout == parallel.stdout
        assert in_process.exit_code == serial.exit_code == parallel.exit_code == expected


def test_recursive_alias_does_not_loop(tmp_path):
    path = tmp_path / "recursive.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: &m\n  name: rec\n  labels: *m\n"
                    "spec: &s\n  containers: [{name: app, image: x, args: &a [*a, *a]}]\n"
                    "  volumes: [*s]\n")
    for command in (("lint", "--no-config", "--select", "ALL"), ("explain", "--no-config"), ("graph",)):
        done = bounded_run(*command, str(path))
        assert done.returncode in (0, 1, 2), command


# ----------------------------------------------------------------------------- size

def test_fifty_megabytes_is_over_max_file_size(tmp_path):
    path = tmp_path / "fifty.yaml"
    line = b"  key: " + b"v" * 100 + b"\n"
    with open(path, "wb") as handle:
        handle.write(POD_HEAD.encode() + b"  annotations:\n")
        handle.write(line * (50 * 2**20 // len(line)))
    size = path.stat().st_size
    assert lint(str(path)) == (2, [(1, 1, "PL001", f"file is {size:,} bytes, over the limit of "
                                                   "20,971,520 (--max-file-size)")])
    assert lint(str(path), extra=("--max-file-size", "1M")) == (
        2, [(1, 1, "PL001", f"file is {size:,} bytes, over the limit of 1,048,576 (--max-file-size)")])


def test_stdin_over_max_file_size(tmp_path):
    out = invoke("lint", "--no-config", "--max-file-size", "1K", "-f", "json", "-",
                 input="# " + "x" * 2000 + "\n" + POD_HEAD)
    assert out.exit_code == 2
    assert [(f["path"], f["message"]) for f in out.json()["findings"]] == [
        ("<stdin>", "input is over the limit of 1,024 bytes (--max-file-size)")]


def test_million_item_list_is_refused_by_the_node_bound(tmp_path):
    path = tmp_path / "million.yaml"
    path.write_text(POD_HEAD + "spec:\n  containers:\n    - name: app\n      image: x\n      args:\n"
                    + "        - a\n" * 1_000_000)
    done = bounded_run("lint", "--no-config", "--select", SELECT, str(path))
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == (
        f"{path}:1:1: PL001 [error] document holds more than 1,000,000 YAML nodes; file not read "
        "(podlint's memory bound, see docs/robustness.md)")


def test_bundle_of_more_than_a_million_nodes_is_linted_and_a_bomb_in_it_refused(tmp_path):
    """A bundle of ordinary Deployments past 1,000,000 nodes (the old per-file
    bound) is linted in bounded memory, one part at a time; a billion-laughs
    document inside the same bundle is still refused, alone."""
    from tests.robustness.support import ROOT

    source = (ROOT / "benchmarks" / "data" / "deployment-service.yaml").read_text()   # 198 nodes
    copies = 5_200                                                  # 1,029,600 nodes, 10 MB
    path = tmp_path / "bundle.yaml"
    with open(path, "w") as handle:
        for number in range(copies):
            handle.write(source.replace("checkout", f"checkout-{number}") + "---\n")
        handle.write(POD_HEAD + POD_TAIL + "---\n")
        handle.write((HOSTILE / "billion_laughs.yaml").read_text().split("\n---\n")[0] + "\n")
    pod = copies * (source.count("\n") + 1)            # the line before the Pod
    done = bounded_run("lint", "--no-config", "--select", SELECT, "-f", "json", "--jobs", "1", str(path))
    assert done.returncode == 2, done.stderr
    report = json.loads(done.stdout)
    assert [(f["line"], f["column"], f["code"], f["message"]) for f in report["findings"]] == [
        (pod + 9, 29, "PL501", MISSING_VOLUME), (pod + 12, 1, "PL001", BOMB)]
    assert report["summary"]["documents"] == 2 * copies + 1


def test_hundred_thousand_item_list_is_linted(tmp_path):
    path = tmp_path / "long-list.yaml"
    path.write_text(POD_HEAD + "spec:\n  containers:\n    - name: app\n      image: x\n"
                    "      volumeMounts: [{name: missing, mountPath: /data}]\n      args:\n"
                    + "        - a\n" * 100_000)
    assert lint(str(path)) == (1, [(9, 29, "PL501", MISSING_VOLUME)])


def test_one_megabyte_line_is_linted(tmp_path):
    path = tmp_path / "long-line.yaml"
    path.write_text(POD_HEAD + "  annotations: {note: \"" + "x" * 2**20 + "\"}\n" + POD_TAIL)
    assert lint(str(path)) == (1, [(10, 29, "PL501", MISSING_VOLUME)])
    flow = tmp_path / "long-flow.yaml"
    flow.write_text(POD_HEAD + "  annotations: {" + ", ".join(f"k{i:05d}: {'v' * 45}" for i in range(20_000))
                    + "}\n" + POD_TAIL)
    assert len(flow.read_text().split("\n")[4]) > 2**20
    assert lint(str(flow)) == (1, [(10, 29, "PL501", MISSING_VOLUME)])


# ----------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("name", ["utf8_bom.yaml", "utf16_le_bom.yaml", "utf16_be_bom.yaml"])
def test_byte_order_marks_are_read(name):
    assert lint(str(HOSTILE / name)) == (1, [(9, 29, "PL501", MISSING_VOLUME)])


@pytest.mark.parametrize("name,finding", [
    ("invalid_utf8.yaml", (4, 12, "PL001", "not valid UTF-8 (byte 0xe9 at offset 46)")),
    ("nul_byte.yaml", (8, 24, "PL001", "binary file: NUL character (not a text manifest)")),
    ("binary.yaml", (1, 2, "PL001", "not valid UTF-8 (byte 0x8b at offset 1)")),
])
def test_undecodable_files_are_pl001(name, finding):
    assert lint(str(HOSTILE / name)) == (2, [finding])


def test_undecodable_file_does_not_stop_the_others():
    code, findings = lint(str(HOSTILE / "binary.yaml"), str(HOSTILE / "utf16_le_bom.yaml"))
    assert code == 2
    assert [f[2] for f in findings] == ["PL001", "PL501"]


# ----------------------------------------------------------------------------- tags

PYTHON_TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:builtins.exec ["open({marker!r}, \'w\').close()"]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!<tag:yaml.org,2002:python/object/apply:subprocess.call> [["touch", "{marker}"]]',
    "!!python/object:os.system {{x: 1}}",
    "!!python/name:os.system",
    "!!python/module:os",
]


def test_python_tags_are_never_constructed(tmp_path, monkeypatch):
    """Each tag would create the marker file if any loader constructed it."""
    marker = tmp_path / "PWNED"
    documents = [f"{POD_HEAD}spec:\n  containers:\n    - name: app\n      image: x\n"
                 f"      args: {tag.format(marker=str(marker))}\n" for tag in PYTHON_TAGS]
    documents.append(f'!!python/object/apply:os.system ["touch {marker}"]\n')
    path = tmp_path / "tags.yaml"
    path.write_text("---\n".join(documents))
    monkeypatch.chdir(tmp_path)
    code, findings = lint("tags.yaml")
    assert code == 2
    assert [(line, column) for line, column, _, _ in findings] == [
        (10 * n + 9, 13) for n in range(len(PYTHON_TAGS))] + [(10 * len(PYTHON_TAGS) + 1, 1)]
    assert findings[0][3] == ("YAML tag tag:yaml.org,2002:python/object/apply:os.system is not "
                              "plain data: Kubernetes cannot read it (podlint never constructs "
                              "tagged objects)")
    for command in (("explain", "--no-config"), ("graph",), ("explain", "--no-config", "-f", "json")):
        assert invoke(*command, "tags.yaml").exit_code == 2
    for pure in (False, True):
        loaded = load_source(Source("tags.yaml"), pure=pure)
        assert len(loaded.findings) == len(PYTHON_TAGS) + 1
    # the CLI in a real process, and from stdin
    assert podlint("lint", "--no-config", "tags.yaml", cwd=tmp_path).exit_code == 2
    assert podlint("lint", "--no-config", "-", cwd=tmp_path, input=path.read_bytes()).exit_code == 2
    assert not marker.exists()


def test_custom_tags_are_reported_not_fatal():
    assert lint(str(HOSTILE / "custom_tags.yaml")) == (2, [
        (6, 11, "PL001", "YAML tag !Ref is not plain data: Kubernetes cannot read it (podlint "
                         "never constructs tagged objects)"),
        (13, 15, "PL001", "YAML tag !include is not plain data: Kubernetes cannot read it "
                          "(podlint never constructs tagged objects)"),
        (24, 17, "PL501", MISSING_VOLUME),
    ])


# ----------------------------------------------------------------------------- keys and shapes

def test_duplicate_keys_name_both_locations():
    assert lint(str(HOSTILE / "duplicate_keys.yaml")) == (2, [
        (6, 3, "PL001", 'duplicate key "name" (first at line 4, column 3); Kubernetes rejects it'),
        (17, 3, "PL001", 'duplicate key "null" (first at line 16, column 3); Kubernetes rejects it'),
        (27, 29, "PL501", MISSING_VOLUME),
    ])


def test_non_string_and_null_keys_do_not_crash():
    assert lint(str(HOSTILE / "odd_keys.yaml")) == (1, [(16, 29, "PL501", MISSING_VOLUME)])
    out = invoke("lint", "--no-config", "--select", "ALL", "-f", "json", str(HOSTILE / "odd_keys.yaml"))
    assert out.exit_code == 1
    assert "PL000" not in {f["code"] for f in out.json()["findings"]}


def test_list_inside_list_and_items_that_are_not_objects():
    assert lint(str(HOSTILE / "nested_list.yaml")) == (1, [
        (14, 37, "PL501", MISSING_VOLUME),
        (20, 12, "PL002", "kind: List has items of type str, not a list"),
    ])


def test_null_documents_are_skipped_quietly():
    assert lint(str(HOSTILE / "null_documents.yaml")) == (1, [(15, 29, "PL501", MISSING_VOLUME)])


# ----------------------------------------------------------------------------- every command

ALL_FIXTURES = sorted(p.name for p in HOSTILE.glob("*.yaml"))


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_command_survives_every_fixture(name, tmp_path, monkeypatch):
    """lint (all rules, every format), explain and graph (every format): exit
    code 0, 1 or 2, never a traceback, every finding inside the file."""
    shutil.copy(HOSTILE / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    texts = {name: text_of((tmp_path / name).read_bytes())}
    out = invoke("lint", "--no-config", "--select", "ALL", "--extend-select", "PL507",
                 "--report-unused-ignores", "-f", "json", name)
    assert out.exit_code in (1, 2)
    report = out.json()
    assert "PL000" not in report["summary"]["by_code"], report["findings"]
    assert_locations_valid(report["findings"], texts)
    for fmt in ("text", "sarif", "github", "junit"):
        assert invoke("lint", "--no-config", "--select", "ALL", "-f", fmt, name).exit_code in (1, 2)
    for fmt in ("text", "json", "mermaid", "html"):
        assert invoke("explain", "--no-config", "-f", fmt, name).exit_code in (0, 1, 2), fmt
    for fmt in ("text", "json", "dot", "mermaid"):
        assert invoke("graph", "-f", fmt, name).exit_code in (0, 1, 2), fmt
