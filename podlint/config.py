"""Configuration: the nearest `.podlint.yaml` or `[tool.podlint]`, validated.

Defaults (each rule's SEVERITY and OPTIONS) < the closest config file < CLI flags.
Only the closest file is used. The file is data: nothing in it can make podlint
import or run code (rule packs come from installed entry points only).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

CONFIG_NAMES = (".podlint.yaml", ".podlint.yml")
NEWEST_KUBERNETES = (1, 35)         # the newest version whose kubelet behaviour podlint models
OLDEST_KUBERNETES = (1, 0)
_VERSION = re.compile(r"^v?(\d{1,2})\.(\d{1,3})(?:\.\d+)?$")
# Larger values are typos, and past 2**63 the read call itself overflows.
LARGEST_MAX_FILE_SIZE = 2**40
# A config is a few dozen keys: aliases that expand past this are an alias bomb,
# which would otherwise hang jsonschema while it prints the offending value.
MAX_CONFIG_NODES = 100_000
# Nesting deeper than this is refused before the YAML is composed: libyaml's C
# composer overflows its stack (a segfault) at about 20,000 levels, and
# jsonschema recurses once per level while it prints a wrong value.
MAX_CONFIG_DEPTH = 64


class ConfigError(Exception):
    """A mistake in the config file or the command line; exit code 2."""


def parse_kubernetes_version(text: Any) -> tuple[int, int]:
    if isinstance(text, float):
        raise ConfigError(f"kubernetes-version {text!r} must be a quoted string such as \"1.33\" "
                          "(YAML reads 1.30 as the number 1.3)")
    match = _VERSION.match(str(text).strip()) if text is not None else None
    if not match or int(match.group(1)) != 1:
        raise ConfigError(f"kubernetes-version {text!r} is not a Kubernetes version like 1.33")
    return int(match.group(1)), int(match.group(2))


def format_version(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs, plain and picklable (workers receive a copy)."""
    select: tuple[str, ...] | None = None       # None: the default rule set
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)          # code -> severity
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)   # code -> options
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    kubernetes_version: tuple[int, int] = NEWEST_KUBERNETES
    assume: tuple[tuple[str, str], ...] = ()    # config file: ("api.startup", "45s")
    assume_cli: tuple[tuple[str, str], ...] = ()    # --assume; wins over annotations and config
    fail_on: str = "warning"
    schema: bool = True
    max_file_size: int = 20 * 1024 * 1024
    report_unused_ignores: bool = False
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False                 # exclude files named on the command line too
    config_path: str | None = None
    baseline: str | None = None                 # podlint.baseline: known findings to hide
    helm_charts: tuple[tuple[str, str], ...] = ()   # (rendered stream path, chart folder)

    def with_overrides(self, **changes: Any) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def find_config(start: str | None = None) -> str | None:
    """The nearest .podlint.yaml, or pyproject.toml with [tool.podlint], upwards."""
    folder = os.path.abspath(start or os.getcwd())
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and _has_tool_section(pyproject):
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_section(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return b"[tool.podlint" in handle.read(1_000_000)
    except OSError:
        return False


def read_config_file(path: str) -> dict[str, Any]:
    """The raw mapping of a config file; ConfigError for anything unreadable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(1_000_001)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {(exc.strerror or str(exc)).lower()}") from None
    if len(data) > 1_000_000:
        raise ConfigError(f"{path}: config file is over 1 MB")
    if path.endswith(".toml"):
        import tomllib
        try:
            table = tomllib.loads(data.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        raw = table.get("tool", {}).get("podlint", {})
    else:
        from ruamel.yaml import YAML
        yaml = YAML(typ="safe")          # plain data only: tags never construct objects
        try:
            text = data.decode("utf-8-sig")
            if _text_depth(text) > MAX_CONFIG_DEPTH:
                raise ConfigError(f"{path}: config nests deeper than {MAX_CONFIG_DEPTH} levels")
            raw = yaml.load(text)
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: config is not UTF-8 text") from None
        except RecursionError:
            raise ConfigError(f"{path}: config nests too deeply") from None
        except ConfigError:
            raise
        except Exception as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ConfigError(f"{path}{where}: invalid YAML in config: {problem}") from None
    if raw is None:
        return {}
    size, depth = _expanded_shape(raw, MAX_CONFIG_NODES)
    if size > MAX_CONFIG_NODES:
        raise ConfigError(f"{path}: config aliases expand to more than {MAX_CONFIG_NODES:,} "
                          "values (YAML alias bomb)")
    if depth > MAX_CONFIG_DEPTH:
        raise ConfigError(f"{path}: config nests deeper than {MAX_CONFIG_DEPTH} levels (through aliases)")
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: config must be a mapping of keys, not {type(raw).__name__}")
    return raw


def _text_depth(text: str) -> int:
    """How deeply the YAML text nests (stopping past the limit), before anything
    composes it; 0 when it does not parse (the loader then reports where)."""
    if text.count("[") + text.count("{") + text.count("\n") < MAX_CONFIG_DEPTH:
        return 0
    from podlint.loader import deepest_nesting

    return deepest_nesting(text, MAX_CONFIG_DEPTH)[0]


def _expanded_shape(value: Any, limit: int) -> tuple[int, int]:
    """(values, depth) of `value` once every YAML alias is expanded, the count
    stopping just past `limit`. Aliases share one Python object, so both are
    memoised by id and cost one visit per distinct list or mapping (a recursive
    alias counts once)."""
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, done = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        children = list(item.values()) if isinstance(item, dict) else item
        if not done:
            if id(item) in sizes:
                continue
            sizes[id(item)], depths[id(item)] = 1, 1    # in progress: a recursive alias counts once
            stack.append((item, True))
            stack.extend((child, False) for child in children
                         if isinstance(child, (dict, list)) and id(child) not in sizes)
            continue
        sizes[id(item)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        depths[id(item)] = 1 + max((depths.get(id(child), 0) for child in children), default=0)
        if sizes[id(item)] > limit:
            return sizes[id(item)], depths[id(item)]
    return sizes.get(id(value), 1), depths.get(id(value), 0)


def config_schema(rules) -> dict[str, Any]:
    """JSON Schema of the config file, with each rule's OPTIONS folded in."""
    severity = {"enum": ["error", "warning", "info"]}
    selector_list = {"type": "array", "items": {"type": "string"}}
    rule_entries = {}
    for spec in rules:
        body = {"type": "object", "additionalProperties": False,
                "properties": {"severity": severity,
                               **{k: {kk: vv for kk, vv in v.items() if kk != "default"}
                                  for k, v in spec.options.items()}}}
        rule_entries[spec.code] = body
        rule_entries[spec.name] = body
    duration = {"type": ["string", "integer", "number"]}
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "select": selector_list,
            "extend-select": selector_list,
            "ignore": selector_list,
            "exclude": selector_list,
            "force-exclude": {"type": "boolean"},
            # a number is let through to parse_kubernetes_version, which explains that
            # YAML read 1.30 as 1.3 (the schema message would only say "1.3 is not a string")
            "kubernetes-version": {"type": ["string", "number"]},
            "fail-on": severity,
            "max-file-size": {"type": "integer", "minimum": 1, "maximum": LARGEST_MAX_FILE_SIZE},
            "report-unused-ignores": {"type": "boolean"},
            "schema": {"type": "boolean"},
            "baseline": {"type": "string", "minLength": 1},
            "rules": {"type": "object", "additionalProperties": False, "properties": rule_entries},
            "per-path-ignores": {"type": "object", "additionalProperties": selector_list},
            "assume": {"type": "object", "additionalProperties": duration},
        },
    }


def settings_from_mapping(raw: dict[str, Any], rules, path: str | None = None) -> Settings:
    """Validate a config mapping and turn it into Settings."""
    import jsonschema

    where = path or "config"
    validator = jsonschema.Draft202012Validator(config_schema(rules))
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        if error.validator == "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            name = ".".join([*map(str, error.absolute_path), str(extra[0])]) if extra else key
            hint = "" if len(allowed) > 20 else f"; known keys: {', '.join(allowed)}"
            raise ConfigError(f"{where}: unknown key {_clean(name)!r}{hint}")
        raise ConfigError(f"{where}: {_clean(key)}: {_clean(error.message)}")
    by_name = {spec.name: spec for spec in rules} | {spec.code: spec for spec in rules}
    severity, options = {}, {}
    for key, body in (raw.get("rules") or {}).items():
        spec = by_name[key]
        body = dict(body or {})
        if "severity" in body:
            severity[spec.code] = body.pop("severity")
        if body:
            options.setdefault(spec.code, {}).update(body)
    settings = Settings(
        select=tuple(raw["select"]) if "select" in raw else None,
        extend_select=tuple(raw.get("extend-select", ())),
        ignore=tuple(raw.get("ignore", ())),
        exclude=tuple(raw.get("exclude", ())),
        force_exclude=raw.get("force-exclude", False),
        severity=severity,
        rule_options=options,
        per_path_ignores=tuple((glob, tuple(codes)) for glob, codes
                               in (raw.get("per-path-ignores") or {}).items()),
        assume=tuple((str(k), str(v)) for k, v in (raw.get("assume") or {}).items()),
        fail_on=raw.get("fail-on", "warning"),
        schema=raw.get("schema", True),
        report_unused_ignores=raw.get("report-unused-ignores", False),
        config_path=path,
    )
    if "baseline" in raw:
        from podlint.baseline import resolve_config_path
        settings = replace(settings, baseline=resolve_config_path(raw["baseline"], path))
    if "max-file-size" in raw:
        settings = replace(settings, max_file_size=raw["max-file-size"])
    if "kubernetes-version" in raw:
        try:
            version = parse_kubernetes_version(raw["kubernetes-version"])
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        settings = replace(settings, kubernetes_version=version)
    validate_selectors(settings, where)
    return settings


def validate_selectors(settings: Settings, where: str) -> None:
    """An unknown code or name in select/ignore is a mistake, not a no-op."""
    from podlint.registry import resolve_selector

    groups = [("select", settings.select or ()), ("extend-select", settings.extend_select),
              ("ignore", settings.ignore)]
    groups += [(f"per-path-ignores[{glob}]", codes) for glob, codes in settings.per_path_ignores]
    for key, selectors in groups:
        for selector in selectors:
            if not resolve_selector(selector):
                raise ConfigError(f"{where}: {key}: unknown rule {_clean(selector)!r}")


def _clean(text: Any) -> str:
    value = str(text)
    value = "".join(ch if ch.isprintable() else "?" for ch in value)
    return value if len(value) <= 120 else value[:117] + "..."


def load_settings(config_path: str | None, rules, search_from: str | None = None) -> Settings:
    path = config_path or find_config(search_from)
    if path is None:
        return Settings()
    return settings_from_mapping(read_config_file(path), rules, path)
