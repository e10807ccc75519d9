"""A fast yes/no answer to "is this document valid against its Kubernetes schema?".

Why: jsonschema, even with reused validators, spends 1-3 ms on a Deployment
(22 ms on a CustomResourceDefinition) and ~70-100 ms just to import; almost
every document of a real repository is valid, so that is time spent proving
there is nothing to report. The Kubernetes schemas use a handful of keywords
(type, enum, properties, additionalProperties, required, items, oneOf, $ref),
so this module compiles them into plain closures that decide validity about
ten times faster, with no import cost.

It only ever says "valid for certain" (True) or "ask jsonschema" (False):
jsonschema stays the reference and produces every reported violation
(podlint.schema). The compiled checker mirrors the semantics podlint's
jsonschema validator uses (Draft 2020-12, formats not asserted, the custom
types of schema._validator_class: dates are strings, ruamel's ScalarBoolean is
a boolean and not an integer) and answers False whenever it is not sure:

- a validation keyword it does not implement (the definition then always
  answers False), a `$ref` it cannot resolve the way jsonschema would;
- nesting deeper than MAX_DEPTH (jsonschema may hit its recursion limit there,
  which podlint reports), a mapping key that is not a string.

"False" may therefore mean "not sure", which is harmless everywhere except under
`oneOf` (exactly one branch must hold): there only branches that are plain
`type` checks (IntOrString, Quantity: every oneOf of the Kubernetes schemas)
are accepted, because a type check is exact.

tests/test_schema_fast.py checks, document by document, that True never
disagrees with jsonschema, on every fixture and on generated mutations.
"""
from __future__ import annotations

import datetime
import numbers
from collections.abc import Callable
from typing import Any

__all__ = ["compile_kind", "Definitions", "MAX_DEPTH", "VALIDATION_KEYWORDS"]

MAX_DEPTH = 64              # deeper instances go to jsonschema (its own limit is ~150-200)

# Every keyword Draft202012Validator validates (jsonschema 4.26 VALIDATORS; a test
# keeps the two in step). Any other key is an annotation jsonschema ignores
# (description, format without a format checker, x-kubernetes-*, $id, $schema).
VALIDATION_KEYWORDS = frozenset({
    "$dynamicRef", "$ref", "additionalProperties", "allOf", "anyOf", "const", "contains",
    "dependentRequired", "dependentSchemas", "enum", "exclusiveMaximum", "exclusiveMinimum",
    "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "not", "oneOf", "pattern",
    "patternProperties", "prefixItems", "properties", "propertyNames", "required", "type",
    "unevaluatedItems", "unevaluatedProperties", "uniqueItems",
})
# `format` is a no-op without a format checker, which podlint never passes.
_SUPPORTED = frozenset({"$ref", "additionalProperties", "allOf", "anyOf", "enum", "format",
                        "items", "oneOf", "properties", "required", "type"})
_DEFINITIONS_URI = "https://kubernetes.io/api/_definitions.json"
_DEFS_PREFIXES = ("/api/_definitions.json#/$defs/", _DEFINITIONS_URI + "#/$defs/")

Check = Callable[[Any, int], bool]


class _Unsupported(Exception):
    """A schema construct this module does not mirror: answer False (ask jsonschema)."""


def _never(instance: Any, depth: int) -> bool:
    return False


def _always(instance: Any, depth: int) -> bool:
    return True


def _scalar_boolean():
    try:
        from ruamel.yaml.scalarbool import ScalarBoolean
    except ImportError:          # pragma: no cover - ruamel is a hard dependency
        return bool
    return ScalarBoolean


_SCALAR_BOOLEAN = _scalar_boolean()
_BOOLS = (bool, _SCALAR_BOOLEAN)


def kubernetes_string(x: Any) -> bool:
    """A JSON string to Kubernetes: its YAML-to-JSON step turns unquoted dates and
    timestamps (datetime.date / datetime / ruamel's TimeStamp) into strings.
    podlint.schema's jsonschema type checker uses the same test."""
    return isinstance(x, (str, datetime.date))


def kubernetes_boolean(x: Any) -> bool:
    """bool, or ruamel's ScalarBoolean (an int subclass) for anchored booleans."""
    return isinstance(x, _BOOLS)


def _is_integer(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, _BOOLS)


def _is_number(x: Any) -> bool:
    kind = type(x)
    if kind is float or kind is int:
        return True
    return isinstance(x, numbers.Number) and not isinstance(x, _BOOLS)


def _is_object(x: Any) -> bool:
    return isinstance(x, dict)


def _is_array(x: Any) -> bool:
    return isinstance(x, list)


def _is_null(x: Any) -> bool:
    return x is None


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": kubernetes_string, "boolean": kubernetes_boolean, "integer": _is_integer,
    "number": _is_number, "object": _is_object, "array": _is_array, "null": _is_null,
}


class Definitions:
    """The compiled `$defs` of one `_definitions.json`, filled lazily by name.

    Definitions refer to each other (and to themselves: JSONSchemaProps), so a
    `$ref` compiles to a small trampoline that looks the target up on first use.
    """

    def __init__(self, definitions: dict):
        self._raw = definitions.get("$defs") if isinstance(definitions, dict) else None
        if not isinstance(self._raw, dict) or definitions.get("$id") != _DEFINITIONS_URI:
            self._raw = {}
        self._compiled: dict[str, Check] = {}

    def get(self, name: str) -> Check:
        check = self._compiled.get(name)
        if check is None:
            raw = self._raw.get(name)
            try:
                check = _compile(raw, self, in_definitions=True) if raw is not None else _never
            except (_Unsupported, RecursionError, TypeError, ValueError, AttributeError):
                check = _never
            self._compiled[name] = check
        return check


def compile_kind(schema: Any, definitions: Definitions) -> Check | None:
    """A checker for one kind's schema file, or None when it cannot be mirrored.

    The result is called as `check(document, 0)` and returns True only when
    jsonschema would report no error at all."""
    if not isinstance(schema, dict):
        return None
    schema_id = schema.get("$id")
    if not isinstance(schema_id, str) or not schema_id.startswith("https://kubernetes.io/api/"):
        return None        # relative refs would resolve somewhere else
    try:
        return _compile(schema, definitions, in_definitions=False)
    except (_Unsupported, RecursionError, TypeError, ValueError, AttributeError):
        return None


def _ref(ref: Any, definitions: Definitions, in_definitions: bool) -> Check:
    if not isinstance(ref, str):
        raise _Unsupported("$ref")
    name = None
    for prefix in _DEFS_PREFIXES:
        if ref.startswith(prefix):
            name = ref[len(prefix):]
    if name is None and in_definitions and ref.startswith("#/$defs/"):
        name = ref[len("#/$defs/"):]
    if not name or any(ch in name for ch in "~%/#"):
        raise _Unsupported(f"$ref {ref}")

    def check(instance: Any, depth: int) -> bool:
        return definitions.get(name)(instance, depth)
    return check


def _compile(schema: Any, definitions: Definitions, in_definitions: bool) -> Check:
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise _Unsupported("schema is not an object")
    for key in schema:
        if key in VALIDATION_KEYWORDS and key not in _SUPPORTED:
            raise _Unsupported(key)
    if "prefixItems" in schema:
        raise _Unsupported("prefixItems")

    def sub(value: Any) -> Check:
        return _compile(value, definitions, in_definitions)

    checks: list[Check] = []
    if "$ref" in schema:
        checks.append(_ref(schema["$ref"], definitions, in_definitions))
    if "type" in schema:
        checks.append(_type_check(schema["type"]))
    if "enum" in schema:
        checks.append(_enum_check(schema["enum"]))
    object_check = _object_check(schema, sub)
    if object_check is not None:
        checks.append(object_check)
    if "items" in schema:
        item = sub(schema["items"])

        def items(instance: Any, depth: int) -> bool:
            if not isinstance(instance, list):
                return True
            if depth >= MAX_DEPTH:
                return False
            depth += 1
            for value in instance:
                if not item(value, depth):
                    return False
            return True
        checks.append(items)
    for keyword in ("allOf", "anyOf"):
        if keyword in schema:
            branches = schema[keyword]
            if not isinstance(branches, list) or not branches:
                raise _Unsupported(keyword)
            checks.append(_combinator(keyword, [sub(b) for b in branches]))
    if "oneOf" in schema:
        checks.append(_one_of(schema["oneOf"]))

    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda instance, depth: first(instance, depth) and second(instance, depth)
    frozen = tuple(checks)
    return lambda instance, depth: all(c(instance, depth) for c in frozen)


def _type_check(types: Any) -> Check:
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or not names or not all(n in _TYPES for n in names):
        raise _Unsupported("type")
    names = list(dict.fromkeys(names))
    if names in (["object"], ["object", "null"], ["null", "object"]):
        nullable = "null" in names
        return lambda x, depth: isinstance(x, dict) or (nullable and x is None)
    if names in (["string"], ["string", "null"], ["null", "string"]):
        nullable = "null" in names
        return lambda x, depth: (type(x) is str or kubernetes_string(x)) or (nullable and x is None)
    if names in (["array"], ["array", "null"], ["null", "array"]):
        nullable = "null" in names
        return lambda x, depth: isinstance(x, list) or (nullable and x is None)
    predicates = tuple(_TYPES[n] for n in names)
    return lambda x, depth: any(p(x) for p in predicates)


def _enum_check(values: Any) -> Check:
    if not isinstance(values, list):
        raise _Unsupported("enum")
    # jsonschema's equal(): a string equals only an equal string. Other enum members
    # (numbers, null, containers) are never confirmed here: the answer is "ask".
    strings = frozenset(v for v in values if isinstance(v, str))
    return lambda x, depth: isinstance(x, str) and str(x) in strings


def _object_check(schema: dict, sub: Callable[[Any], Check]) -> Check | None:
    has_props = "properties" in schema
    has_additional = "additionalProperties" in schema
    has_required = "required" in schema
    if not (has_props or has_additional or has_required):
        return None
    props = schema.get("properties", {})
    if not isinstance(props, dict):
        raise _Unsupported("properties")
    compiled = {name: sub(value) for name, value in props.items()}
    additional_raw = schema.get("additionalProperties", True)
    closed = additional_raw is False
    additional = None if additional_raw is True or closed else sub(additional_raw)
    required = schema.get("required", [])
    if not isinstance(required, list):
        raise _Unsupported("required")
    required = tuple(required)

    def check(instance: Any, depth: int) -> bool:
        if not isinstance(instance, dict):
            return True
        if depth >= MAX_DEPTH:
            return False
        depth += 1
        for name in required:
            if name not in instance:
                return False
        for key in instance:
            if type(key) is not str and not isinstance(key, str):
                return False
            value_check = compiled.get(key)
            if value_check is None:
                if closed:
                    return False
                if additional is None:
                    continue
                value_check = additional
            if not value_check(instance[key], depth):
                return False
        return True
    return check


def _combinator(keyword: str, branches: list[Check]) -> Check:
    frozen = tuple(branches)
    if keyword == "allOf":
        return lambda x, depth: all(b(x, depth) for b in frozen)
    return lambda x, depth: any(b(x, depth) for b in frozen)


_TYPE_ONLY = frozenset({"type", "description", "format"})


def _one_of(branches: Any) -> Check:
    """oneOf over plain type checks only: those answer exactly (never "not sure")."""
    if not isinstance(branches, list) or not branches:
        raise _Unsupported("oneOf")
    predicates = []
    for branch in branches:
        if not isinstance(branch, dict) or "type" not in branch or set(branch) - _TYPE_ONLY:
            raise _Unsupported("oneOf with a branch that is not a plain type check")
        names = [branch["type"]] if isinstance(branch["type"], str) else branch["type"]
        if not isinstance(names, list) or not names or not all(n in _TYPES for n in names):
            raise _Unsupported("type")
        predicates.append(tuple(_TYPES[n] for n in names))
    frozen = tuple(predicates)

    def one_of(x: Any, depth: int) -> bool:
        matched = 0
        for branch in frozen:
            if any(p(x) for p in branch):
                matched += 1
        return matched == 1
    return one_of
