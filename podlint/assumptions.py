"""Timing assumptions: what the manifest cannot say (app startup, init run time,
shutdown after SIGTERM, image pull), stated by the user.

Sources, strongest first: `--assume`, the `podlint/assume` annotation (on the
workload object or its pod template), the config file's `assume:`. Keys are
`CONTAINER.startup`, `CONTAINER.run` (init containers), `CONTAINER.shutdown`,
`CONTAINER.pre-stop` and `CONTAINER.post-start` (how long an exec or HTTP hook
runs, which the manifest cannot say) and `image-pull`; durations `90`, `90s`,
`2m`, `1m30s`, `1h`.

What the cluster adds to a pod is stated the same way, with words instead of
durations (design.md 9): `mesh=istio|linkerd|none` (a namespace label such as
`istio-injection=enabled` is invisible in a pod manifest), `mesh-version=1.26`
and `mesh-mode=native|legacy` (podlint.mesh reads them).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

ANNOTATION = "podlint/assume"
ASPECTS = ("startup", "run", "shutdown", "pre-stop", "post-start")
# Keys whose value is a word, not a duration: key -> allowed values (None: a version).
WORDS = {"mesh": ("istio", "linkerd", "none"), "mesh-mode": ("native", "legacy"),
         "mesh-version": None}
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?$")
MAX_SECONDS = 10 * 365 * 24 * 3600          # ten years: anything longer is a typo
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$")
_KEY = re.compile(r"^(?:image-pull|nodes|[a-z0-9]([-a-z0-9.]*[a-z0-9])?\.(startup|run|shutdown|pre-stop|post-start))$")
GLOBAL_KEYS = ("image-pull", "nodes")     # about the cluster, not one container
MAX_NODES = 100_000


class AssumptionError(ValueError):
    pass


def parse_duration(text: object, what: str = "duration") -> float:
    """'90', '90s', '2m', '1m30s', '1h' -> seconds. Anything else is an error naming it."""
    if isinstance(text, bool):
        raise AssumptionError(f"{what}: {text!r} is not a duration like 90s, 2m or 1m30s")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        raw = str(text).strip().lower()
        match = _DURATION.match(raw) if raw else None
        if not match or not any(match.groups()):
            raise AssumptionError(f"{what}: {str(text)[:40]!r} is not a duration like 90s, 2m or 1m30s")
        hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
        value = hours * 3600 + minutes * 60 + seconds
    if not math.isfinite(value) or value < 0 or value > MAX_SECONDS:
        raise AssumptionError(f"{what}: {str(text)[:40]!r} is out of range (0 to 10 years)")
    return int(value) if value == int(value) else value


def _check_key(key: str, what: str) -> None:
    if not _KEY.match(key) and key not in WORDS:
        raise AssumptionError(f"{what}: {key[:60]!r} is not CONTAINER.startup, CONTAINER.run, "
                              "CONTAINER.shutdown, CONTAINER.pre-stop, CONTAINER.post-start, "
                              "image-pull, nodes, mesh, mesh-mode or mesh-version")


def parse_value(key: str, value: object, what: str) -> float:
    """A duration in seconds, or for `nodes` (a DaemonSet's rollout runs over
    the cluster's nodes, which no manifest states) a whole count of nodes."""
    if key != "nodes":
        return parse_duration(value, what)
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_NODES:
        raise AssumptionError(f"{what}: {text[:40]!r} is not a node count from 1 to {MAX_NODES}")
    return int(text)


def parse_word(key: str, value: object, what: str) -> str:
    """The value of a word key (`mesh=istio`, `mesh-version=1.26`), checked."""
    text = str(value).strip().lower()
    allowed = WORDS[key]
    if allowed is None:
        match = _VERSION.match(text)
        if not match:
            raise AssumptionError(f"{what}: {str(value)[:40]!r} is not a version like 1.26")
        return f"{int(match.group(1))}.{int(match.group(2))}"
    if text not in allowed:
        raise AssumptionError(f"{what}: {str(value)[:40]!r} is not one of {', '.join(allowed)}")
    return text


def _check_value(key: str, value: object, what: str) -> None:
    if key in WORDS:
        parse_word(key, value, what)
    else:
        parse_value(key, value, what)


def validate_assumptions(pairs, what: str = "--assume") -> None:
    for key, value in pairs:
        _check_key(str(key), what)
        _check_value(str(key), value, f"{what} {key}")


@dataclass(frozen=True)
class Assumptions:
    values: dict[str, float] = field(default_factory=dict)     # "api.startup" -> seconds
    sources: dict[str, str] = field(default_factory=dict)      # "api.startup" -> "--assume"
    errors: tuple[str, ...] = ()                               # bad annotation entries
    words: dict[str, str] = field(default_factory=dict)        # "mesh" -> "istio"

    def get(self, container: str | None, aspect: str) -> float | None:
        key = aspect if aspect in GLOBAL_KEYS else f"{container}.{aspect}"
        return self.values.get(key)

    @property
    def image_pull(self) -> float | None:
        return self.values.get("image-pull")

    @property
    def nodes(self) -> int | None:
        value = self.values.get("nodes")
        return None if value is None else int(value)

    def word(self, key: str) -> str | None:
        return self.words.get(key)

    def to_dict(self) -> dict:
        out = {key: {"seconds": self.values[key], "source": self.sources[key]}
               for key in sorted(self.values)}
        for key in sorted(self.words):
            out[key] = {"value": self.words[key], "source": self.sources.get(key, "assumed")}
        return out


def annotation_pairs(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    pairs, errors = [], []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            errors.append(f"{ANNOTATION}: {part[:40]!r} is not NAME=DURATION")
            continue
        key, value = (p.strip() for p in part.split("=", 1))
        try:
            _check_key(key, ANNOTATION)
            _check_value(key, value, f"{ANNOTATION} {key}")
        except AssumptionError as exc:
            errors.append(str(exc))
            continue
        pairs.append((key, value))
    return pairs, errors


def annotation_text(workload) -> str | None:
    """The pod's `podlint/assume` entries (object and template joined), or None."""
    if workload is None:
        return None
    texts = []
    for source in (workload.obj, workload.template):
        metadata = source.get("metadata") if isinstance(source, dict) else None
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        value = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
        if isinstance(value, str) and value not in texts:
            texts.append(value)
    return ",".join(texts) if texts else None


def _container_of(key: str) -> str | None:
    return None if key in GLOBAL_KEYS or key in WORDS else key.rsplit(".", 1)[0]


def unmatched_warnings(settings, containers, *, check_config: bool, where: str = "linted") -> list[str]:
    """stderr warnings for `--assume` (and config `assume:`) keys naming a
    container that no workload of the run has: a typo there changes nothing,
    silently. A warning, not exit 2: the run itself is sound, and the exit code
    stays about the manifests.

    Config keys are checked only when `check_config` (the run walked a folder or
    read stdin): the config serves the whole project, and a run over a few named
    files (pre-commit passes the staged ones) rightly lacks most containers."""
    import difflib

    layers = [("--assume", getattr(settings, "assume_cli", ()))]
    if check_config:
        layers.append(("config", getattr(settings, "assume", ())))
    known = sorted(containers)
    out = []
    for source, pairs in layers:
        for key, value in pairs:
            name = _container_of(str(key))
            if name is None or name in containers:
                continue
            close = difflib.get_close_matches(name, known, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            what = (f"--assume {key}={value}" if source == "--assume"
                    else f"assume {key} in {_shown(getattr(settings, 'config_path', None))}")
            out.append(f'podlint: warning: {_printable(what, 300)}: no {where} workload has a container '
                       f'named "{_printable(name)}"{hint}; it changes nothing')
    return out


def _shown(path: str | None) -> str:
    """The config file as the user would name it: relative below the current folder."""
    import os

    if not path:
        return "the config"
    try:
        relative = os.path.relpath(path)
    except ValueError:              # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def annotation_problems(workload, containers) -> list[tuple[object, str, str]]:
    """Entries of `podlint/assume` annotations that change nothing: malformed
    (not NAME=DURATION, a bad duration) or naming a container this pod lacks.
    (annotations mapping, its text, message) each, for a PL005 at the annotation."""
    if workload is None:
        return []
    out = []
    seen: list = []
    for source in (workload.obj, workload.template):
        metadata = source.get("metadata") if isinstance(source, dict) else None
        annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
        value = annotations.get(ANNOTATION) if isinstance(annotations, dict) else None
        if not isinstance(value, str) or any(annotations is other for other in seen):
            continue
        seen.append(annotations)
        pairs, errors = annotation_pairs(value)
        for error in errors:
            out.append((annotations, value, _printable(error, 160)))
        for key, _ in pairs:
            name = _container_of(key)
            if name is not None and name not in containers:
                listed = ", ".join(sorted(containers)) or "none"
                out.append((annotations, value,
                            f'{ANNOTATION} "{_printable(key)}" names no container of this pod '
                            f"(it has: {_printable(listed, 120)}), so it changes nothing"))
    return out


def _printable(text: str, limit: int = 80) -> str:
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."


def resolve_assumptions(settings, workload) -> Assumptions:
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    words: dict[str, str] = {}
    errors: list[str] = []
    layers = [(getattr(settings, "assume", ()), "config")]
    text = annotation_text(workload)
    if text:
        pairs, errors = annotation_pairs(text)
        layers.append((pairs, "annotation"))
    layers.append((getattr(settings, "assume_cli", ()), "--assume"))
    for pairs, source in layers:
        for key, value in pairs:
            try:
                if key in WORDS:
                    words[key] = parse_word(key, value, key)
                else:
                    values[key] = parse_value(key, value, key)
                sources[key] = source
            except AssumptionError as exc:
                errors.append(str(exc))
    return Assumptions(values, sources, tuple(errors), words)
