"""`pip install .` must ship the rules as `podlint.rules`, never as a global `rules`.

The repository keeps `rules/` at the top (where contributors work) and maps it to
`podlint.rules` in pyproject.toml. An editable install hides mistakes here (its
finder maps names, not files), so this test builds the real wheel from a copy of
the working tree, reads its file list, installs it into a folder and imports it
from there with the source tree out of sight.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT


def project_files() -> list[str]:
    """Tracked files plus new ones not ignored: what a commit of this tree would hold."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return sorted(name for name in out.split("\0") if name and (ROOT / name).is_file())


def copy_tree(target: Path) -> Path:
    for name in project_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = copy_tree(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=600)
    (built,) = out.glob("podlint-*.whl")
    return built


@pytest.fixture(scope="module")
def names(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_ships_every_rule_as_podlint_rules(names):
    rule_files = sorted(p.name for p in (ROOT / "rules").glob("*.py"))
    assert "pl501_undefined_volume.py" in rule_files
    shipped = sorted(n.split("/")[-1] for n in names if n.startswith("podlint/rules/"))
    assert shipped == rule_files


def test_the_wheel_has_no_global_rules_package(names):
    tops = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert tops == {"podlint"}


def test_every_python_file_of_the_package_is_in_the_wheel(names):
    """A subfolder missing from [tool.setuptools] packages works under `pip install -e`
    and silently vanishes from the wheel (style.md)."""
    expected = {f"podlint/{Path(p).relative_to('podlint')}" for p in project_files()
                if p.startswith("podlint/") and p.endswith(".py")}
    expected |= {f"podlint/rules/{Path(p).relative_to('rules')}" for p in project_files()
                 if p.startswith("rules/") and p.endswith(".py")}
    assert expected - set(names) == set()


def test_setuptools_packages_match_the_folders_on_disk():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = {"podlint." + ".".join(p.parent.relative_to(ROOT / "podlint").parts)
               for p in (ROOT / "podlint").rglob("__init__.py") if p.parent != ROOT / "podlint"}
    on_disk |= {"podlint.rules." + ".".join(p.parent.relative_to(ROOT / "rules").parts)
                for p in (ROOT / "rules").rglob("__init__.py") if p.parent != ROOT / "rules"}
    assert set(config["packages"]) == {"podlint", "podlint.rules"} | on_disk
    assert config["package-dir"] == {"podlint.rules": "rules"}


def test_console_scripts_and_metadata(wheel, names):
    with zipfile.ZipFile(wheel) as archive:
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
        metadata = archive.read(next(n for n in names if n.endswith("METADATA"))).decode()
    scripts = entry_points.split("[console_scripts]")[1].split("[")[0]
    assert sorted(line.replace(" ", "") for line in scripts.strip().splitlines()) == [
        "kubectl-podlint=podlint.cli:main", "podlint=podlint.cli:main"]
    assert "Requires-Python: >=3.11" in metadata
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    runtime = [r for r in requires if "extra ==" not in r]
    for needed in ("ruamel.yaml[oldlibyaml]", "click", "jsonschema", "networkx"):
        assert any(r.replace(" ", "").startswith(f"Requires-Dist:{needed}") for r in runtime), needed
    assert any("pytest" in r and 'extra == "test"' in r for r in requires)


def test_the_installed_wheel_finds_its_rules_away_from_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "-q",
                    "--disable-pip-version-check", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    script = ("import importlib.util, podlint, podlint.rules\n"
              "from podlint.registry import all_rules\n"
              "print(podlint.__file__)\n"
              "print(podlint.rules.__path__[0])\n"
              "print(len(all_rules()), [s.code for s in all_rules()][:1])\n"
              "print(importlib.util.find_spec('rules'))\n")
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout.splitlines()
    assert out[0] == str(target / "podlint" / "__init__.py")
    assert out[1] == str(target / "podlint" / "rules")
    count, first = out[2].split(" ", 1)
    assert int(count) == len(list((ROOT / "rules").glob("pl*.py"))) and first == "['PL000']"
    assert out[3] == "None"                          # no global `rules` to import
    rules = subprocess.run([sys.executable, str(target / "bin" / "podlint"), "rule", "PL501"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert rules.returncode == 0 and rules.stdout.startswith("PL501 undefined-volume (error)")
