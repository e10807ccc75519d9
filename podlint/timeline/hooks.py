"""What a manifest tells about how long a command runs: `sleep` hooks (native
action, `sleep N`, a shell script of top-level sleeps) and a container command
that ends by itself. Pure functions of the model; never raise."""
from __future__ import annotations

import math
import os
import re
import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from podlint.model import Container, Handler

_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
_SLEEP_ARG = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)([smhd]?)$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_LOOP_WORDS = frozenset({"while", "until", "for", "if", "case", "then", "do", "function"})


def _sleep_args(args: list[str]) -> float | None:
    """`sleep 1m 30s` -> 90 (GNU and busybox add their arguments); None if not a duration."""
    if not args:
        return None
    total = 0.0
    for arg in args:
        match = _SLEEP_ARG.match(arg.strip().lower())
        if not match:
            return None
        total += float(match.group(1)) * _UNIT[match.group(2)]
    if not math.isfinite(total):
        return None
    return int(total) if total.is_integer() else total


def _is_sleep_binary(word: str) -> bool:
    return os.path.basename(word) == "sleep"


def _script_sleep(script: str) -> float | None:
    """The time a shell script spends in top-level `sleep` commands, at least.

    `sleep 15 && nginx -s quit` -> 15; `sleep 5; sleep 5` -> 10; `sleep 5 &` (in
    the background) and loops -> not counted. None when the script sleeps nowhere
    we can see.
    """
    if len(script) > 10_000:
        return None
    # Split into simple commands at ; && || and newlines, keeping `&` (background) visible.
    parts = re.split(r"\|\||&&|;|\n", script)
    total, found = 0.0, False
    for part in parts:
        text = part.strip()
        if not text or text.startswith("#"):
            continue
        if text.endswith("&") or "|" in text:
            continue
        try:
            words = shlex.split(text, comments=True)
        except ValueError:
            return None
        if not words:
            continue
        if words[0] in _LOOP_WORDS:
            return None
        if words[0] == "exec" and len(words) > 1:
            words = words[1:]
        if _is_sleep_binary(words[0]):
            seconds = _sleep_args(words[1:])
            if seconds is None:
                if words[1:] and words[1].lower() in ("inf", "infinity"):
                    return None
                continue
            total += seconds
            found = True
    if not found:
        return None
    return int(total) if total.is_integer() else total


def sleep_seconds(handler: "Handler | None") -> float | None:
    """Known duration of a hook handler, or None when the manifest cannot tell.

    Native `sleep` action -> its seconds; exec `sleep N`, `/bin/sleep N`,
    `["sh", "-c", "sleep 15"]`, `"sleep 15 && nginx -s quit"` (at least 15 -> 15),
    `sleep 5s`, `sleep 1m`. Anything else (httpGet, a script, `sleep infinity`) is None.
    """
    try:
        if handler is None:
            return None
        if handler.action == "sleep":
            seconds = handler.sleep_seconds
            if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
                return None
            return seconds
        if handler.action != "exec" or not handler.command:
            return None
        words = [str(w) for w in handler.command]
        if _is_sleep_binary(words[0]):
            return _sleep_args(words[1:])
        if os.path.basename(words[0]) == "env" and len(words) > 1:
            words = words[1:]
        shell = os.path.basename(words[0])
        if shell == "busybox" and len(words) > 1 and words[1] in ("sh", "ash"):
            words = words[1:]
            shell = "sh"
        if shell in _SHELLS:
            for position, word in enumerate(words[1:], start=1):
                if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
                    if position + 1 < len(words):
                        return _script_sleep(words[position + 1])
                    return None
        return None
    except Exception:           # a timeline must never raise
        return None


def command_sleep(container: "Container") -> float | None:
    """Seconds after which a container's own command ends by itself, when it is a
    shell script of finite sleeps and simple commands (`echo START; sleep 10; echo
    END`), else None. A long-running pod restarts such a container (with backoff),
    and its preStop does not run on those exits (lifecycle-semantics 3.4)."""
    try:
        raw = container.raw if isinstance(container.raw, dict) else {}
        words = [str(w) for key in ("command", "args") if isinstance(raw.get(key), list)
                 for w in raw[key]]
        if len(words) < 3 or os.path.basename(words[0]) not in _SHELLS:
            return None
        for position, word in enumerate(words[1:], start=1):
            if word.startswith("-") and not word.startswith("--") and "c" in word[1:]:
                if position + 1 >= len(words):
                    return None
                script = words[position + 1]
                if re.search(r"\b(?:while|until|for|exec|wait|tail|nc|httpd|nginx|python|java|node)\b", script):
                    return None
                return _script_sleep(script)
        return None
    except Exception:
        return None

