"""Validate one Kubernetes document against the real Kubernetes JSON schemas.

The schemas are the strict flavour (``vX.Y.0-local-strict``: every object has
``additionalProperties: false``, so a typo such as ``livenesProbe`` is caught)
shipped as data files inside the ``kubernetes-validate`` package. podlint never
imports ``kubernetes_validate`` itself (88 ms of imports, PyYAML, first error
only); it only locates the package's folder and reads the JSON files.

This module is cheap to import: jsonschema and referencing are imported lazily,
the first time a document is validated.

Cost per document (measured on the project machine, 2 cores, CPython 3.11.7,
jsonschema 4.26.0, referencing 0.37.0, schema 1.37 strict, machine otherwise
idle: load average < 1). Each document was loaded once with ruamel.yaml
round-trip; ``validate_document`` was called once to warm the caches, then in
``time.perf_counter`` loops (100 calls per Deployment/CRD loop, 2,000 per
custom-resource loop), interleaved, best of 25 loops:

* realistic valid Deployment (165 lines: init container with envFrom, two
  containers, env from fieldRef/secretKeyRef/resourceFieldRef, requests and
  limits, startup/liveness/readiness probes, postStart/preStop hooks, security
  contexts, four volumes incl. projected, anti-affinity, tolerations, topology
  spread): **4.2 ms** per document, the same as a plain reused
  ``Draft202012Validator.iter_errors`` on the same document and machine
  (4.2 ms): the custom TypeChecker and the result handling cost nothing
  measurable. (libraries.md measured 2.6-2.9 ms for its Deployment on its
  machine.) With three errors (unknown field, string port, boolean
  replicas) the total is within noise of the valid case; converting the
  three errors to SchemaViolations (paths, positions, messages) costs
  ~0.1 ms even with the machine 5x slowed by other jobs.
* custom resource (``kind: Widget``, ``apiVersion: example.com/v1``; the
  "no schema" path, a cached negative lookup): **3 us**.
* CustomResourceDefinition (``apiextensions.k8s.io/v1``, one version, a
  25-line openAPIV3Schema): **0.9 ms**.
* one-off costs in a fresh process: importing jsonschema + building the
  validator class ~90 ms (lazy: only when a document is validated); reading
  ``_definitions.json`` of one version ~20 ms; kind file + validator
  ~1.5 ms per (version, apiVersion, kind); first validation ~7 ms (cold
  ``$ref`` lookups). Importing this module: ~3 ms (dataclasses aside).

Mapping (apiVersion, kind) to a schema file: ``<kind lower>-<group first
label>-<version>.json`` (core group: ``<kind lower>-<version>.json``), plus
``internal.apiserver.k8s.io`` -> ``apiserverinternal``. The file must exist *and*
its ``x-kubernetes-group-version-kind`` must name exactly this group and
version; otherwise there is no schema (``None``). That check matters: a CRD
such as ``apps.example.com/v1 Deployment`` would otherwise be validated against
``deployment-apps-v1.json``, and helper types such as ``PodSpec``
(``podspec-v1.json``) are not kinds. A kind that differs only in case
(``kind: deployment``) does get the schema, and its ``kind`` enum reports it.
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from podlint.helm import env_placeholder

__all__ = ["SchemaViolation", "schema_version_for", "validate_document", "bundled_versions"]


@dataclass(frozen=True)
class SchemaViolation:
    """One schema error, located in the source file.

    ``json_path`` uses dot/bracket form (``spec.containers[0].livenesProbe``,
    ``metadata.labels["app.kubernetes.io/name"]``; ``""`` for the root).
    ``line`` and ``column`` are 1-based.
    """

    json_path: str
    message: str
    line: int
    column: int


# --------------------------------------------------------------------------
# Locating the schema files
# --------------------------------------------------------------------------

_SCHEMA_DIR_RE = re.compile(r"^v(\d+)\.(\d+)\.0-local-strict$")
_VERSION_RE = re.compile(r"^v?(\d{1,4})\.(\d{1,4})(?:\.\d{1,6})?$")
_KIND_RE = re.compile(r"^[A-Za-z0-9]{1,100}$")
_GROUP_API_VERSION_RE = re.compile(r"^([a-z0-9.-]{1,253})/([a-z0-9]{1,30})$")
_CORE_API_VERSION_RE = re.compile(r"^v[0-9a-z]{1,30}$")

# API groups whose schema file name does not use the group's first label
# (the file names come from the Go package name).
_GROUP_FILE_ALIASES = {"internal.apiserver.k8s.io": "apiserverinternal"}


@functools.lru_cache(maxsize=1)
def _schema_root() -> str | None:
    """Folder holding ``vX.Y.0-local-strict`` directories, or None."""
    try:
        spec = importlib.util.find_spec("kubernetes_validate")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = os.path.join(list(spec.submodule_search_locations)[0], "kubernetes-json-schema")
    return root if os.path.isdir(root) else None


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[tuple[int, int], ...]:
    root = _schema_root()
    if root is None:
        return ()
    found = []
    for name in os.listdir(root):
        m = _SCHEMA_DIR_RE.match(name)
        if m:
            found.append((int(m.group(1)), int(m.group(2))))
    return tuple(sorted(found))


def bundled_versions() -> list[str]:
    """The Kubernetes minor versions with a strict schema, oldest first (["1.25", ..., "1.37"])."""
    return [f"{a}.{b}" for a, b in _bundled()]


def schema_version_for(kubernetes_version: str) -> str | None:
    """Pick the bundled schema version ("X.Y") to use for ``kubernetes_version``.

    Accepts "1.33", "v1.33", "1.33.4" (patch versions use their minor's schema).

    * a bundled minor version maps to itself;
    * older than the oldest bundled version (1.25 with kubernetes-validate
      1.37.0) -> the oldest bundled version;
    * newer than the newest -> the newest;
    * inside the range but not bundled (a gap) -> the newest bundled version
      that is not newer than the request.

    The result differs from the request's "X.Y" exactly when the caller asked
    for a version that is not bundled: compare and tell the user if needed.
    Returns None only when no schemas are installed at all (kubernetes-validate
    missing). Raises ValueError when ``kubernetes_version`` is not a version.
    """
    if not isinstance(kubernetes_version, str):
        raise ValueError(f"not a Kubernetes version: {kubernetes_version!r}")
    m = _VERSION_RE.match(kubernetes_version.strip())
    if not m:
        raise ValueError(f"not a Kubernetes version: {_short_text(kubernetes_version)}")
    wanted = (int(m.group(1)), int(m.group(2)))
    versions = _bundled()
    if not versions:
        return None
    if wanted <= versions[0]:
        chosen = versions[0]
    else:
        chosen = [v for v in versions if v <= wanted][-1]
    return f"{chosen[0]}.{chosen[1]}"


def _version_dir(version: str) -> str:
    return os.path.join(_schema_root() or "", f"v{version}.0-local-strict")


@functools.lru_cache(maxsize=None)
def _file_names(version: str) -> frozenset[str]:
    try:
        return frozenset(os.listdir(_version_dir(version)))
    except OSError:
        return frozenset()


def _schema_file_name(api_version: Any, kind: Any) -> tuple[str, str, str] | None:
    """(file name, group, version) for trusted-looking input, else None."""
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return None
    if not _KIND_RE.match(kind):
        return None
    m = _GROUP_API_VERSION_RE.match(api_version)
    if m:
        group, version = m.group(1), m.group(2)
        label = _GROUP_FILE_ALIASES.get(group, group.split(".")[0])
        if not label or not re.fullmatch(r"[a-z0-9]+", label):
            return None
        return f"{kind.lower()}-{label}-{version}.json", group, version
    if _CORE_API_VERSION_RE.match(api_version):
        return f"{kind.lower()}-{api_version}.json", "", api_version
    return None


# --------------------------------------------------------------------------
# Validators (jsonschema imported lazily)
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _validator_class():
    from jsonschema import Draft202012Validator, validators

    from podlint.schema_fast import kubernetes_boolean, kubernetes_string
    from ruamel.yaml.scalarbool import ScalarBoolean

    base = Draft202012Validator.TYPE_CHECKER

    def is_string(checker, instance):
        return kubernetes_string(instance)

    def is_boolean(checker, instance):
        return kubernetes_boolean(instance)

    def is_integer(checker, instance):
        return not isinstance(instance, ScalarBoolean) and base.is_type(instance, "integer")

    def is_number(checker, instance):
        return not isinstance(instance, ScalarBoolean) and base.is_type(instance, "number")

    checker = base.redefine_many(
        {"string": is_string, "boolean": is_boolean, "integer": is_integer, "number": is_number}
    )
    return validators.extend(Draft202012Validator, type_checker=checker)


@functools.lru_cache(maxsize=None)
def _definitions(version: str) -> dict:
    """``_definitions.json`` of one version, read once (shared by jsonschema and
    the fast checker)."""
    with open(os.path.join(_version_dir(version), "_definitions.json"), encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=None)
def _registry(version: str):
    """One registry per version holding ``_definitions.json``."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    definitions = _definitions(version)
    resource = DRAFT202012.create_resource(definitions)
    uri = definitions.get("$id", "https://kubernetes.io/api/_definitions.json")
    return Registry().with_resource(uri, resource)


@functools.lru_cache(maxsize=512)
def _validator(version: str, api_version: str, kind: str):
    """Cached validator for (version, apiVersion, kind), or None (no schema)."""
    schema = _kind_schema(version, api_version, kind)
    if schema is None:
        return None
    return _validator_class()(schema, registry=_registry(version))


@functools.lru_cache(maxsize=512)
def _fast_checker(version: str, api_version: str, kind: str):
    """podlint.schema_fast's compiled yes/no checker for the kind, or None."""
    schema = _kind_schema(version, api_version, kind)
    if schema is None:
        return None
    from podlint.schema_fast import compile_kind

    return compile_kind(schema, _fast_definitions(version))


@functools.lru_cache(maxsize=None)
def _fast_definitions(version: str):
    from podlint.schema_fast import Definitions

    return Definitions(_definitions(version))


# Set PODLINT_SCHEMA_FAST=0 to send every document through jsonschema (the
# reference); the answers are the same, only slower.
_FAST = os.environ.get("PODLINT_SCHEMA_FAST", "1") != "0"


@functools.lru_cache(maxsize=512)
def _kind_schema(version: str, api_version: str, kind: str):
    """The parsed schema file of (version, apiVersion, kind), or None (no schema).

    Needs no jsonschema: deciding that a kind has no schema (CRDs, unknown
    kinds) or that a document is valid (the fast checker) never imports it."""
    named = _schema_file_name(api_version, kind)
    if named is None:
        return None
    file_name, group, api_ver = named
    if file_name not in _file_names(version):
        return None
    try:
        with open(os.path.join(_version_dir(version), file_name), encoding="utf-8") as fh:
            schema = json.load(fh)
    except (OSError, ValueError):
        return None
    gvks = schema.get("x-kubernetes-group-version-kind") if isinstance(schema, dict) else None
    if not isinstance(gvks, list) or not any(
        isinstance(g, dict)
        and g.get("group") == group
        and g.get("version") == api_ver
        and str(g.get("kind", "")).lower() == kind.lower()
        for g in gvks
    ):
        return None  # a helper type (PodSpec) or another group's kind
    return schema


# --------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------


def validate_document(
    data: Any, api_version: str, kind: str, kubernetes_version: str
) -> list[SchemaViolation] | None:
    """Validate one parsed document (a ruamel.yaml round-trip ``CommentedMap``).

    Returns None when no schema exists for (apiVersion, kind) in the schema
    version chosen by :func:`schema_version_for` (CRDs, unknown kinds, removed
    apiVersions such as ``apps/v1beta1``, anything that does not look like a
    kind/apiVersion); [] when the document is valid; otherwise every violation,
    sorted by (line, column, message) and deduplicated.

    Never raises on hostile documents. Raises ValueError only for a malformed
    ``kubernetes_version`` (configuration, not input).
    """
    version = schema_version_for(kubernetes_version)
    if version is None:
        return None
    try:
        if _kind_schema(version, api_version, kind) is None:
            return None
        fast = _fast_checker(version, api_version, kind) if _FAST else None
    except TypeError:  # unhashable api_version/kind
        return None
    if fast is not None:
        try:
            if fast(data, 0):
                return []      # certainly valid: jsonschema would report nothing
        except Exception:      # RecursionError on odd input, anything: ask jsonschema
            pass
    validator = _validator(version, api_version, kind)
    if validator is None:
        return None

    root_pos = _node_pos(data) or (0, 0)
    errors = _collect_errors(validator, data, root_pos)
    if isinstance(errors, SchemaViolation):
        return [errors]

    out: set[SchemaViolation] = set()
    for error in errors:
        try:
            out.update(_convert(error, data))
        except RecursionError:
            out.add(_too_deep(root_pos))
        except Exception:  # never raise: report something at the root
            out.add(SchemaViolation("", _clean(_safe_message(error)), root_pos[0] + 1, root_pos[1] + 1))
    return sorted(out, key=lambda v: (v.line, v.column, v.message, v.json_path))


def _collect_errors(validator, data, root_pos):
    try:
        return list(validator.iter_errors(data))
    except RecursionError:
        return _too_deep(root_pos)
    except Exception:
        pass
    # Exotic input (huge integers whose repr fails, odd keys, unknown scalar
    # types): retry on a plain JSON-like copy; positions still come from `data`.
    try:
        return list(validator.iter_errors(_plain_copy(data)))
    except RecursionError:
        return _too_deep(root_pos)
    except Exception as exc:
        return SchemaViolation(
            "",
            f"could not validate the document against the schema ({type(exc).__name__})",
            root_pos[0] + 1,
            root_pos[1] + 1,
        )


def _too_deep(root_pos) -> SchemaViolation:
    return SchemaViolation(
        "", "document is too deeply nested (or recursive) to validate against the schema", root_pos[0] + 1, root_pos[1] + 1
    )


class _HugeInt(int):
    """An integer too large for repr() (Python's 4300-digit limit)."""

    def __repr__(self) -> str:
        return "<very large integer>"

    __str__ = __repr__


def _plain_copy(data: Any, _max_depth: int = 10000) -> Any:
    """JSON-like copy: str keys, dates as str, huge ints guarded (iterative)."""
    from ruamel.yaml.scalarbool import ScalarBoolean

    def scalar(v):
        if isinstance(v, (bool, ScalarBoolean)):
            return bool(v)
        if isinstance(v, int):
            return _HugeInt(v) if v.bit_length() > 1000 else int(v)
        if isinstance(v, float):
            return float(v)
        if isinstance(v, str):
            return str(v)
        if isinstance(v, datetime.date):
            return str(v)
        if v is None:
            return None
        value = getattr(v, "value", None)  # TaggedScalar
        return str(value) if isinstance(value, str) else f"<{type(v).__name__}>"

    def container(v):
        if isinstance(v, dict):
            return {}
        if isinstance(v, list):
            return []
        return None

    top = container(data)
    if top is None:
        return scalar(data)
    stack = [(data, top, 0)]
    while stack:
        src, dst, depth = stack.pop()
        if depth > _max_depth:
            raise RecursionError("too deep")
        items = src.items() if isinstance(src, dict) else enumerate(src)
        for k, v in items:
            c = container(v)
            new = scalar(v) if c is None else c
            if isinstance(dst, dict):
                dst[k if isinstance(k, str) else _key_text(k)] = new
            else:
                dst.append(new)
            if c is not None:
                stack.append((v, c, depth + 1))
    return top


# --------------------------------------------------------------------------
# Positions and paths
# --------------------------------------------------------------------------


def _node_pos(node: Any) -> tuple[int, int] | None:
    try:
        lc = node.lc
        line, col = lc.line, lc.col
        if isinstance(line, int) and isinstance(col, int):
            return line, col
    except Exception:
        pass
    return None


def _pair(value: Any) -> tuple[int, int] | None:
    try:
        line, col = value
        if isinstance(line, int) and isinstance(col, int):
            return line, col
    except Exception:
        pass
    return None


def _key_pos(node: Any, key: Any) -> tuple[int, int] | None:
    try:
        return _pair(node.lc.key(key))
    except Exception:  # merged keys (<<: *x) raise KeyError; plain dicts have no .lc
        return None


def _value_pos(node: Any, key: Any) -> tuple[int, int] | None:
    try:
        return _pair(node.lc.value(key))
    except Exception:
        return None


def _item_pos(node: Any, index: int) -> tuple[int, int] | None:
    try:
        return _pair(node.lc.item(index))
    except Exception:
        return None


def _find_key(node: dict, step: Any) -> tuple[bool, Any]:
    """The real key of `node` for path step `step` (paths of the plain copy use str keys)."""
    try:
        if step in node:
            return True, step
    except TypeError:
        pass
    if isinstance(step, str):
        for k in node:
            if not isinstance(k, str) and _key_text(k) == step:
                return True, k
    return False, step


_IDENT_RE = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


def _path_segment(key: Any, first: bool) -> str:
    if isinstance(key, str) and _IDENT_RE.match(key) and len(key) <= 60:
        return key if first else "." + key
    return "[" + _quote(key if isinstance(key, str) else _key_text(key)) + "]"


def _locate(root: Any, path) -> tuple[Any, bool, str, tuple[int, int]]:
    """Walk `path` from `root`: (node, found, json_path, 0-based position).

    The position is the deepest one known: the value of the last step, else
    its mapping/sequence, else the root.
    """
    node: Any = root
    found = True
    parts: list[str] = []
    pos = _node_pos(root) or (0, 0)
    for step in path:
        if found and isinstance(node, dict):
            ok, key = _find_key(node, step)
            parts.append(_path_segment(key, not parts))
            if ok:
                pos = _value_pos(node, key) or _node_pos(node) or pos
                node = node[key]
            else:
                pos = _node_pos(node) or pos
                found = False
        elif found and isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            parts.append(f"[{step}]")
            pos = _item_pos(node, step) or _node_pos(node) or pos
            node = node[step]
        else:
            if isinstance(step, int):
                parts.append(f"[{step}]")
            else:
                parts.append(_path_segment(step, not parts))
            found = False
    if found:
        # a nested collection may know its own start better than the parent
        pos = _node_pos(node) if isinstance(node, (dict, list)) and _node_pos(node) else pos
    return node, found, "".join(parts), pos


def _join(path: str, key: Any) -> str:
    return path + _path_segment(key, not path)


# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------

_MAX_VALUE = 60
_MAX_MESSAGE = 200
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def _escape(text: str, limit: int, quotes: bool = True) -> str:
    """Escape control/non-printable characters (and quotes); cut at `limit`."""
    out: list[str] = []
    size = 0
    for ch in text:
        if ch in _ESCAPES and (quotes or ch in "\n\r\t"):
            piece = _ESCAPES[ch]
        elif ch.isprintable():
            piece = ch
        else:
            code = ord(ch)
            piece = f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        if size + len(piece) > limit:
            out.append("...")
            break
        out.append(piece)
        size += len(piece)
    return "".join(out)


def _quote(text: str) -> str:
    return '"' + _escape(text[: _MAX_VALUE * 2], _MAX_VALUE) + '"'


def _short_text(text: Any) -> str:
    return _quote(text) if isinstance(text, str) else _key_text(text)


def _clean(message: str) -> str:
    return _escape(message[: _MAX_MESSAGE * 2], _MAX_MESSAGE, quotes=False)


def _int_text(value: int) -> str:
    try:
        text = str(int(value))
    except (ValueError, OverflowError):
        return "<very large integer>"
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 3] + "..."


def _key_text(key: Any) -> str:
    """Printable text for a non-string mapping key (int, bool, null, complex key)."""
    from_scalar = _scalar_text(key)
    if from_scalar is not None:
        return from_scalar
    return "<complex key>" if isinstance(key, (tuple, list, dict)) else f"<{type(key).__name__}>"


def _scalar_text(value: Any) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return "true" if value else "false"
    if isinstance(value, int):
        return _int_text(value)
    if isinstance(value, float):
        return _escape(repr(float(value)), _MAX_VALUE)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, datetime.date):
        return _quote(str(value))
    return None


def _describe(value: Any) -> str:
    """'string "80"', 'integer 5', 'boolean true', 'null', 'a mapping', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
        return "boolean " + ("true" if value else "false")
    if isinstance(value, int):
        return "integer " + _int_text(value)
    if isinstance(value, float):
        return "number " + _scalar_text(value)
    if isinstance(value, (str, datetime.date)):
        return "string " + _scalar_text(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    tagged = getattr(value, "value", None)
    if isinstance(tagged, str):
        return "tagged value " + _quote(tagged)
    return f"a value of type {type(value).__name__}"


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "null": "null",
}


def _expected_types(types: Any) -> str:
    if isinstance(types, str):
        types = [types]
    names = [t for t in types if t != "null"] or list(types)
    words = [_TYPE_NAMES.get(t, str(t)) for t in names]
    return " or ".join(words)


def _branch_types(subschemas: Any) -> set[str] | None:
    """Types of simple `{type: ...}` branches (IntOrString, Quantity), else None."""
    if not isinstance(subschemas, list):
        return None
    found: set[str] = set()
    for sub in subschemas:
        if not isinstance(sub, dict) or set(sub) - {"type", "description", "format"}:
            return None
        types = sub.get("type")
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list):
            return None
        found.update(t for t in types if t != "null")
    return found


def _safe_message(error: Any) -> str:
    try:
        message = str(error.message)
    except Exception:
        return "schema violation"
    try:
        instance = error.instance
        if not isinstance(instance, (dict, list)):
            shown = repr(instance)
            if len(shown) > _MAX_VALUE:
                message = message.replace(shown, _scalar_text(instance) or _describe(instance))
        else:
            shown = repr(instance)
            if len(shown) > _MAX_VALUE:
                message = message.replace(shown, _describe(instance))
    except Exception:
        pass
    return message


# Only a value that is nothing but an environment placeholder is spared
# (podlint.helm.env_placeholder; eleven "expected integer" errors on one envsubst
# template were noise), and only the checks of its type or value.
_VALUE_CHECKS = frozenset({"type", "enum", "const", "oneOf", "anyOf", "minimum", "maximum",
                           "format", "pattern"})


def _convert(error: Any, root: Any) -> list[SchemaViolation]:
    node, found, path, pos = _locate(root, error.absolute_path)
    validator = error.validator
    value = error.validator_value
    instance = error.instance if not found else node

    def at(p: tuple[int, int], json_path: str, message: str) -> SchemaViolation:
        return SchemaViolation(json_path, _clean(message), p[0] + 1, p[1] + 1)

    if validator in _VALUE_CHECKS and env_placeholder(instance):
        return []           # substituted before apply (envsubst): its type is the substitute's

    if validator == "additionalProperties" and value is False and isinstance(instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        known = schema.get("properties") or {}
        patterns = list(schema.get("patternProperties") or {})
        result = []
        for key in list(instance):
            try:
                if key in known:
                    continue
            except TypeError:
                pass
            if patterns and isinstance(key, str) and any(re.search(p, key) for p in patterns):
                continue
            key_pos = (_key_pos(node, key) if found else None) or pos
            shown = _quote(key) if isinstance(key, str) else _key_text(key)
            result.append(at(key_pos, _join(path, key), f"unknown field {shown}"))
        if result:
            return result

    elif validator == "type":
        return [at(pos, path, f"expected {_expected_types(value)}, got {_describe(instance)}")]

    elif validator == "required" and isinstance(instance, dict) and isinstance(value, list):
        result = []
        for name in value:
            try:
                present = name in instance
            except TypeError:
                present = False
            if not present:
                result.append(at(pos, path, f"missing required field {_short_text(name)}"))
        if result:
            return result

    elif validator in ("oneOf", "anyOf"):
        branch = _branch_types(value)
        if branch is not None:
            if instance is None:
                # null matches both nullable branches; Kubernetes accepts null
                # (IntOrString and Quantity treat it as unset).
                return []
            if branch == {"string", "integer"}:
                return [at(pos, path, f"expected an integer or a string, got {_describe(instance)}")]
            if branch == {"string", "number"}:
                return [at(pos, path, f"expected a number or a string, got {_describe(instance)}")]
            words = " or ".join(sorted(_TYPE_NAMES.get(t, t) for t in branch))
            return [at(pos, path, f"expected {words}, got {_describe(instance)}")]

    elif validator == "enum" and isinstance(value, list):
        shown = [(_scalar_text(v) or _describe(v)) for v in value[:8]]
        if len(value) == 1:
            expected = shown[0]
        else:
            expected = "one of " + ", ".join(shown) + (", ..." if len(value) > 8 else "")
        return [at(pos, path, f"expected {expected}, got {_describe(instance)}")]

    elif validator == "const":
        return [at(pos, path, f"expected {_scalar_text(value) or _describe(value)}, got {_describe(instance)}")]

    return [at(pos, path, _safe_message(error))]
