"""Find and validate rules: built-ins from `podlint.rules`, packs from entry points.

A rule is a module with CODE, NAME, SEVERITY, OPTIONS, a Markdown docstring and
`check(ctx)`. Each becomes a frozen RuleSpec. Anything malformed (a duplicate
code or name, a bad code, a missing doc section) is a RegistryError that the CLI
turns into exit code 2. Rule code is only ever imported from installed
packages, never from a path in the linted repository or its config.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from functools import lru_cache
from types import ModuleType
from typing import Any, Callable

BUILTIN_CODE = re.compile(r"^PL\d{3}$")
PACK_CODE = re.compile(r"^[A-Z]{2,4}\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
SEVERITIES = ("error", "warning", "info")
SCOPES = ("pod", "document", "input")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## References")
ENTRY_POINT_GROUP = "podlint.rules"


class RegistryError(Exception):
    pass


@dataclass(frozen=True)
class RuleSpec:
    code: str
    name: str
    severity: str
    options: dict[str, Any]         # option name -> JSON Schema fragment with "default"
    doc: str                        # the module docstring (Markdown)
    check: Callable | None
    scope: str                      # "pod": per pod template; "document": per object; "input": engine-made
    default: bool                   # on unless selected explicitly (new rules ship opt-in)
    module: str
    builtin: bool = True
    needs: tuple[str, ...] = field(default=())
    fix: Callable | None = None     # fix(ctx) -> Fix objects: the certain edits (`podlint fix`)

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name

    def option_defaults(self) -> dict[str, Any]:
        return {key: spec.get("default") for key, spec in self.options.items()}


def spec_from_module(module: ModuleType, builtin: bool = True) -> RuleSpec:
    where = module.__name__
    try:
        code, name, severity = module.CODE, module.NAME, module.SEVERITY
    except AttributeError as exc:
        raise RegistryError(f"rule module {where} lacks {exc.name}") from None
    pattern = BUILTIN_CODE if builtin else PACK_CODE
    if not isinstance(code, str) or not pattern.match(code):
        raise RegistryError(f"rule module {where}: CODE {code!r} does not match {pattern.pattern}")
    if not isinstance(name, str) or not NAME.match(name):
        raise RegistryError(f"rule module {where}: NAME {name!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise RegistryError(f"rule module {where}: SEVERITY {severity!r} is not one of {SEVERITIES}")
    options = getattr(module, "OPTIONS", {})
    if not isinstance(options, dict) or not all(
            isinstance(v, dict) and "default" in v for v in options.values()):
        raise RegistryError(f"rule module {where}: OPTIONS must map names to schema fragments "
                            "with a default")
    scope = getattr(module, "SCOPE", "pod")
    if scope not in SCOPES:
        raise RegistryError(f"rule module {where}: SCOPE {scope!r} is not one of {SCOPES}")
    check = getattr(module, "check", None)
    if scope != "input" and not callable(check):
        raise RegistryError(f"rule module {where}: no check(ctx) function")
    doc = module.__doc__ or ""
    missing = [s for s in REQUIRED_SECTIONS if s not in doc]
    if missing:
        raise RegistryError(f"rule module {where}: docstring lacks {', '.join(missing)}")
    documented = set(re.findall(r"^- `([a-z0-9-]+)`", _section(doc, "## Options"), re.M))
    if documented != set(options):
        raise RegistryError(f"rule module {where}: '## Options' lists {sorted(documented)} but "
                            f"OPTIONS has {sorted(options)}")
    fix = getattr(module, "fix", None)
    if fix is not None and not callable(fix):
        raise RegistryError(f"rule module {where}: fix is not a function")
    return RuleSpec(code, name, severity, dict(options), doc, check, scope,
                    bool(getattr(module, "DEFAULT", True)), where, builtin, fix=fix)


def _section(doc: str, heading: str) -> str:
    start = doc.find(heading)
    if start < 0:
        return ""
    end = doc.find("\n## ", start + len(heading))
    return doc[start: end if end >= 0 else len(doc)]


@lru_cache(maxsize=None)
def all_rules() -> tuple[RuleSpec, ...]:
    """Every rule, sorted by code. Cached: modules are imported once per process."""
    import podlint.rules as package

    specs = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"podlint.rules.{info.name}")
        specs.append(spec_from_module(module))
    specs.extend(_entry_point_rules())
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for spec in specs:
        for seen, key in ((seen_codes, spec.code), (seen_names, spec.name)):
            if key in seen:
                raise RegistryError(f"rule {key} is defined twice: {seen[key]} and {spec.module}")
            seen[key] = spec.module
    return tuple(sorted(specs, key=lambda s: s.code))


def _group_declared(group: str = ENTRY_POINT_GROUP) -> bool:
    """Might an installed distribution declare `group`? False only when certain.

    `importlib.metadata` costs ~30 ms to import and reads every distribution's
    metadata: a fifth of a cold one-file run, spent to find that no rule pack is
    installed. This reads only the `entry_points.txt` files that
    `importlib.metadata` itself would read (the *.dist-info / *.egg-info folders
    of each sys.path folder, EGG-INFO of a folder egg) and answers True when one
    names the group, or whenever it cannot tell (a zip on sys.path, a custom
    distribution finder): then the real `entry_points()` decides.
    """
    import os
    import sys
    from importlib.machinery import PathFinder

    for finder in sys.meta_path:
        if finder is not PathFinder and hasattr(finder, "find_distributions"):
            return True
    for entry in sys.path:
        if not isinstance(entry, str):
            return True
        folder = entry or "."
        try:
            with os.scandir(folder) as children:
                names = [child.name for child in children]
        except NotADirectoryError:
            return True                 # a zip or wheel on sys.path
        except OSError:
            continue                    # missing folder: importlib.metadata skips it too
        candidates = [name for name in names if name.lower().endswith((".dist-info", ".egg-info"))]
        if folder.lower().endswith(".egg"):
            candidates += [name for name in names if name.lower() == "egg-info"]
        for name in candidates:
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                    if group.encode() in handle.read():
                        return True
            except FileNotFoundError:
                continue
            except OSError:
                return True
    return False


def _entry_point_rules() -> list[RuleSpec]:
    """Third-party packs, from installed distributions only."""
    if not _group_declared():
        return []
    from importlib.metadata import entry_points

    specs = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            loaded = entry.load()
        except Exception as exc:
            raise RegistryError(f"rule pack {entry.name} ({entry.value}) failed to import: "
                                f"{type(exc).__name__}: {exc}") from None
        modules = loaded if isinstance(loaded, (list, tuple)) else [loaded]
        for module in modules:
            if not isinstance(module, ModuleType):
                raise RegistryError(f"rule pack {entry.name}: {module!r} is not a module")
            specs.append(spec_from_module(module, builtin=False))
    return specs


def rule_index() -> dict[str, RuleSpec]:
    """Lookup by code and by name."""
    index: dict[str, RuleSpec] = {}
    for spec in all_rules():
        index[spec.code] = spec
        index[spec.name] = spec
    return index


def resolve_selector(selector: str) -> list[RuleSpec]:
    """A code (PL301), a prefix (PL3, PL, ALL) or a name (missing-prestop) -> rules.

    Every rule the selector covers, opt-in ones included: right for `ignore`,
    per-path ignores and suppressions. Turning rules on goes through
    `resolve_selection`, which leaves opt-in rules out of prefixes."""
    selector = selector.strip()
    if selector.upper() == "ALL":
        return list(all_rules())
    index = rule_index()
    if selector in index:
        return [index[selector]]
    upper = selector.upper()
    if re.match(r"^[A-Z]{2,4}\d{0,3}$", upper):
        return [spec for spec in all_rules() if spec.code.startswith(upper)]
    return []


def exact_rule(selector: str) -> RuleSpec | None:
    """The rule a selector names exactly (its code, any case, or its name), else None."""
    selector = selector.strip()
    index = rule_index()
    spec = index.get(selector)
    if spec is None and re.match(r"^[A-Za-z]{2,4}\d{3}$", selector):
        spec = index.get(selector.upper())
    return spec


def resolve_selection(selector: str) -> list[RuleSpec]:
    """What `select`/`extend-select` turn on: opt-in rules (DEFAULT = False) only
    when named by their exact code or name, never through a prefix, a group or
    ALL. `--select PL5` must not switch on PL507 behind the user's back (ruff
    keeps preview rules out of prefix selections the same way)."""
    spec = exact_rule(selector)
    if spec is not None:
        return [spec]
    return [spec for spec in resolve_selector(selector) if spec.default]
