"""A hostile or broken configuration is a clear one-line error and exit code 2,
never a traceback, a hang or code execution. The config is data: a
`.podlint.yaml` found in the linted repository cannot make podlint import or
run anything (rules come only from installed entry points)."""
from __future__ import annotations

import os
import shutil

import pytest

from tests.robustness.support import HOSTILE, invoke, podlint

CONFIGS = HOSTILE / "config"
TARGET = str(HOSTILE / "utf8_bom.yaml")


@pytest.mark.parametrize("name,message", [
    ("alias_bomb.yaml", "alias_bomb.yaml: config aliases expand to more than 100,000 values (YAML alias bomb)"),
    ("custom_tag.yaml", "custom_tag.yaml:1:9: invalid YAML in config: could not determine a constructor "
                        "for the tag '!include'"),
    ("python_tag.yaml", "python_tag.yaml:2:9: invalid YAML in config: could not determine a constructor "
                        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("not_a_mapping.yaml", "not_a_mapping.yaml: config must be a mapping of keys, not list"),
    ("scalar.yaml", "scalar.yaml: config must be a mapping of keys, not str"),
    ("unknown_rule.yaml", "unknown_rule.yaml: select: unknown rule 'PL9999'"),
    ("wrong_types.yaml", "wrong_types.yaml: rules.PL303.headroom-seconds: [1, 2] is not of type 'number'"),
])
def test_hostile_config_is_a_clear_error(name, message, tmp_path, monkeypatch):
    shutil.copy(CONFIGS / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    for command in ("lint", "explain"):
        out = invoke(command, "--config", name, TARGET)
        assert out.exit_code == 2, command
        assert out.stderr == f"podlint: error: {message}\n"
        assert out.stdout == ""
    assert sorted(os.listdir(tmp_path)) == [name]       # the python tag wrote nothing


def test_a_config_cannot_name_code_to_load(tmp_path, monkeypatch):
    """There is no key for plugin paths: third-party rules are installed packages."""
    shutil.copy(CONFIGS / "unknown_key.yaml", tmp_path / ".podlint.yaml")
    (tmp_path / "evil_rules.py").write_text(f"open({str(tmp_path / 'PWNED')!r}, 'w').close()\n")
    monkeypatch.chdir(tmp_path)
    out = invoke("lint", TARGET)
    assert out.exit_code == 2
    assert out.stderr.startswith("podlint: error: ")
    assert "unknown key 'plugins'" in out.stderr
    assert not (tmp_path / "PWNED").exists()


def test_discovered_config_with_python_tag_runs_nothing(tmp_path):
    """The nearest .podlint.yaml, found from the working directory upwards."""
    (tmp_path / "repo" / "deep").mkdir(parents=True)
    (tmp_path / "repo" / ".podlint.yaml").write_text(
        f'select: !!python/object/apply:os.system ["touch {tmp_path / "PWNED"}"]\n')
    shutil.copy(HOSTILE / "utf8_bom.yaml", tmp_path / "repo" / "deep" / "pod.yaml")
    out = podlint("lint", "pod.yaml", cwd=tmp_path / "repo" / "deep")
    assert out.exit_code == 2
    assert "invalid YAML in config" in out.stderr
    assert not (tmp_path / "PWNED").exists()


def test_empty_config_means_defaults():
    out = invoke("lint", "--config", str(CONFIGS / "empty.yaml"), "--select", "PL501", TARGET)
    assert out.exit_code == 1
    assert out.stderr == ""


@pytest.mark.parametrize("content,message", [
    (b"select: [" + b"[" * 100_000 + b"]" * 100_000 + b"]\n",
     "config nests deeper than 64 levels"),                     # libyaml's C stack
    (b"select: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
     "config nests deeper than 64 levels"),                     # jsonschema's repr
    (b"select: [PL501]\n# " + b"x" * 1_000_001 + b"\n", "config file is over 1 MB"),
    (b"select: [PL5\xff01]\n", "config is not UTF-8 text"),
    (b"select: [PL501\n", "invalid YAML in config"),
    (b"select: [PL501]\nselect: [PL502]\n", "invalid YAML in config"),
], ids=["100k-levels", "10k-levels", "over-1MB", "not-utf8", "syntax", "duplicate-key"])
def test_broken_config_file(tmp_path, content, message):
    path = tmp_path / "config.yaml"
    path.write_bytes(content)
    out = podlint("lint", "--config", str(path), TARGET)         # a segfault would show here
    assert out.exit_code == 2
    assert out.stderr.startswith(f"podlint: error: {path}")
    assert message in out.stderr
    assert out.stderr.count("\n") == 1


def test_unreadable_config(tmp_path):
    missing = tmp_path / "missing.yaml"
    out = invoke("lint", "--config", str(missing), TARGET)
    assert (out.exit_code, out.stderr) == (
        2, f"podlint: error: {missing}: cannot read config: no such file or directory\n")
    out = invoke("lint", "--config", str(tmp_path), TARGET)          # a directory
    assert out.exit_code == 2
    assert "is a directory" in out.stderr


def test_permission_denied_config(tmp_path):
    config = tmp_path / "locked.yaml"
    config.write_text("select: [PL501]\n")
    os.chmod(config, 0)
    prefix = ()
    if os.geteuid() == 0:
        drop = "-dac_override,-dac_read_search"
        prefix = (shutil.which("setpriv"), f"--inh-caps={drop}", f"--bounding-set={drop}")
    try:
        out = podlint("lint", "--config", str(config), TARGET, prefix=prefix)
    finally:
        os.chmod(config, 0o644)
    assert out.exit_code == 2
    assert out.stderr.endswith(f"Error: Invalid value for '--config': File '{config}' is not readable.\n")


def test_broken_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.podlint]\nselect = 'PL501'\n")
    out = podlint("lint", TARGET, cwd=tmp_path)
    assert out.exit_code == 2
    assert out.stderr == (f"podlint: error: {tmp_path / 'pyproject.toml'}: select: 'PL501' is not "
                          "of type 'array'\n")
    (tmp_path / "pyproject.toml").write_text("[tool.podlint\nselect = [\n")
    out = podlint("lint", TARGET, cwd=tmp_path)
    assert out.exit_code == 2
    assert "invalid TOML" in out.stderr


@pytest.mark.parametrize("value,message", [
    ("app.startup=-5s", "--assume app.startup: '-5s' is not a duration like 90s, 2m or 1m30s"),
    ("app.startup=1e309s", "--assume app.startup: '1e309s' is not a duration like 90s, 2m or 1m30s"),
    ("app.startup=abc", "--assume app.startup: 'abc' is not a duration like 90s, 2m or 1m30s"),
    ("app.startup=99999999999999999999h", "--assume app.startup: '99999999999999999999h' is out of "
                                          "range (0 to 10 years)"),
    ("app.startup", "--assume 'app.startup' must look like NAME.startup=45s or image-pull=5s"),
    ("=5s", "--assume: '' is not CONTAINER.startup, CONTAINER.run, CONTAINER.shutdown, "
            "CONTAINER.pre-stop, CONTAINER.post-start, image-pull, nodes, mesh, mesh-mode or mesh-version"),
])
def test_bad_assume_values(value, message):
    for command in ("lint", "explain"):
        out = invoke(command, "--no-config", "--assume", value, TARGET)
        assert (out.exit_code, out.stderr, out.stdout) == (2, f"podlint: error: {message}\n", "")


def test_bad_assume_in_config(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("assume: {app.startup: .inf}\n")
    out = invoke("lint", "--config", str(path), TARGET)
    assert (out.exit_code, out.stderr) == (
        2, "podlint: error: config assume app.startup: 'inf' is not a duration like 90s, 2m or 1m30s\n")


@pytest.mark.parametrize("args,fragment", [
    (("--select", "PL9999"), "unknown rule 'PL9999'"),
    (("--ignore", "\x1b[2Jnope"), "unknown rule '?[2Jnope'"),
    (("--kubernetes-version", "abc"), "kubernetes-version 'abc' is not a Kubernetes version like 1.33"),
    (("--kubernetes-version", "1.99999999999"), "kubernetes-version"),
    (("--max-file-size", "inf"), "--max-file-size 'inf' is not a size"),
    (("--max-file-size", "1e30"), "--max-file-size '1e30' is over the largest allowed size"),
    (("--max-file-size", "-5"), "--max-file-size '-5' is not a size"),
])
def test_bad_command_line_values(args, fragment):
    out = invoke("lint", "--no-config", *args, TARGET)
    assert out.exit_code == 2
    assert out.stderr.startswith("podlint: error: ")
    assert fragment in out.stderr
    assert "\x1b" not in out.stderr
