"""Start-up shortcuts (issue 6) that must never change what a run finds.

The rule-pack pre-check may only skip importlib.metadata when no distribution on
sys.path can declare the `podlint.rules` group.
"""
from __future__ import annotations

import sys
import zipfile

from podlint.registry import ENTRY_POINT_GROUP, _group_declared


def _dist(site, name, entry_points: str | None, suffix=".dist-info"):
    folder = site / f"{name}-1.0{suffix}"
    folder.mkdir(parents=True)
    if entry_points is not None:
        (folder / "entry_points.txt").write_text(entry_points)


def test_no_pack_on_the_path_needs_no_metadata_scan(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _dist(site, "other", "[console_scripts]\nother = other:main\n")
    _dist(site, "bare", None)
    monkeypatch.setattr(sys, "path", [str(site), str(tmp_path / "missing")])
    assert _group_declared() is False


def test_a_declared_group_is_found(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _dist(site, "other", "[console_scripts]\nother = other:main\n")
    _dist(site, "Pack", f"[{ENTRY_POINT_GROUP}]\npack = pack_rules\n", suffix=".DIST-INFO")
    monkeypatch.setattr(sys, "path", [str(site)])
    assert _group_declared() is True


def test_egg_info_and_folder_eggs(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _dist(site, "old", f"[{ENTRY_POINT_GROUP}]\nold = old_rules\n", suffix=".egg-info")
    monkeypatch.setattr(sys, "path", [str(site)])
    assert _group_declared() is True
    egg = tmp_path / "pack-1.0-py3.11.egg"
    (egg / "EGG-INFO").mkdir(parents=True)
    (egg / "EGG-INFO" / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nx = y\n")
    monkeypatch.setattr(sys, "path", [str(egg)])
    assert _group_declared() is True


def test_when_it_cannot_tell_it_lets_importlib_metadata_decide(tmp_path, monkeypatch):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("pack-1.0.dist-info/entry_points.txt", f"[{ENTRY_POINT_GROUP}]\nx = y\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert _group_declared() is True

    class Finder:
        @staticmethod
        def find_distributions(context=None):
            return iter(())

    monkeypatch.setattr(sys, "path", [])
    assert _group_declared() is False
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    assert _group_declared() is True
