"""Does a container's command keep a shell as PID 1, so that the stop signal
never reaches the app?

PID 1 of a PID namespace gets no signal its process has not installed a handler
for (the kernel drops it; only SIGKILL gets through from outside). A shell that
runs the app as a child and waits for it installs no SIGTERM handler unless a
`trap` says so: the kubelet's stop signal is dropped and the app is SIGKILLed
at the end of the grace period, on every rollout.

Which shells keep PID 1 is a question of their source, so this module answers
only what holds for every shell that `sh` may be (dash, busybox ash, bash) and
every version in use:

- dash (since 0.5.7, 2011, "[SHELL] Optimize dash -c "command" to avoid a
  fork") and busybox ash (since 1.28.0, the same change ported: evalstring()
  passes EV_EXIT to the last command of the `-c` string) exec the last command
  of `-c` themselves, also after `;`, `&&` and `||` (evaltree hands EV_EXIT to
  the right-hand side), but never when a trap is set (`may_have_traps`), and
  never for a loop (evalloop drops EV_EXIT) or a pipeline (evalpipe forks every
  stage).
- bash execs a `-c` string's last simple command (ONESHOT, evalstring.c
  parse_and_execute) when no trap is set and it has no redirection; the rhs of
  `&&`/`||` only since 4.4, after `;` only since 5.1 (CHANGES 5.1-alpha b,
  evalstring.c can_optimize_connection).

So certain, for any shell: the script ends in a loop, in a pipeline or with
`wait`, or sets a trap that is not for TERM (any trap stops the exec of the last
command, and only a TERM trap handles the signal). Certain for bash named
explicitly: the last command has a redirection. Everything else (`sh -c "migrate
&& server"`, `bash -c "source env; server"`) depends on the shell or its
version, and is not reported: say nothing rather than guess.

Not PID 1 at all: `exec` of the last command, an init (`tini`, `dumb-init`,
`catatonit`, ...) in front, `shareProcessNamespace: true` (PID 1 is then the
pause process, and the shell's default SIGTERM action applies), and a container
without `command` (the image's ENTRYPOINT is unknown).
"""
from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from typing import Any

# Shells whose `-c` behaviour is read above. zsh, ksh and mksh are not judged.
SHELLS = frozenset({"sh", "bash", "ash", "dash"})
# An init as PID 1 forwards signals (tini to its child, dumb-init to the group).
INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "docker-init", "s6-svscan",
                   "runsvdir", "supervisord", "pid1", "go-init", "init"})
_TERM = frozenset({"TERM", "SIGTERM", "15"})
_LOOP_HEADS = frozenset({"while", "until", "for", "select"})
_OPENERS = {"while": "done", "until": "done", "for": "done", "select": "done", "if": "fi",
            "case": "esac"}
_PREFIX_WORDS = frozenset({"do", "then", "else", "elif", "{", "!"})


@dataclass(frozen=True)
class ShellPid1:
    """A shell that stays PID 1 and drops the stop signal."""
    shell: str              # "sh", "bash", "ash", "dash" (as the manifest names it)
    reason: str             # why it stays PID 1: "the script ends with `wait`"
    key: str                # "command" or "args": the field holding the script
    index: int              # the script's position in that list
    script: str
    periodic: bool = False  # a loop that sleeps between short runs: only the deletion waits

    @property
    def sentence(self) -> str:
        return (f"{self.shell} stays PID 1 ({self.reason}) and has no SIGTERM handler: the stop "
                "signal is dropped and the app is SIGKILLed when the grace period ends")


def _words(raw: dict) -> list[tuple[str, int, str]]:
    """command + args as (word, index, key); the key says where each word is."""
    out = []
    for key in ("command", "args"):
        value = raw.get(key)
        if isinstance(value, list):
            out.extend((str(w), i, key) for i, w in enumerate(value))
    return out


def shell_script(container: Any) -> tuple[str, tuple[str, int, str]] | None:
    """(shell name, (script, index, key)) when the container's explicit command
    runs a shell with `-c` as PID 1; None otherwise (no command, an init in front,
    a script file, another program)."""
    raw = container.raw if isinstance(getattr(container, "raw", None), dict) else {}
    if not isinstance(raw.get("command"), list):
        return None                     # the image's ENTRYPOINT runs: unknown
    words = _words(raw)
    if words and os.path.basename(words[0][0]) == "env":
        words = words[1:]
        while words and ("=" in words[0][0] or words[0][0].startswith("-")):
            words = words[1:]
    if not words:
        return None
    program = os.path.basename(words[0][0])
    if program in INITS:
        return None
    rest = words[1:]
    if program == "busybox" and rest and rest[0][0] in ("sh", "ash"):
        program, rest = "ash", rest[1:]
    if program not in SHELLS:
        return None
    for position, (word, _, _) in enumerate(rest):
        if word == "--":
            return None
        if not word.startswith("-") or word.startswith("--"):
            if word.startswith("+"):
                continue
            return None                 # a script file or an operand: not -c
        if "c" in word[1:]:
            if position + 1 >= len(rest):
                return None
            return program, rest[position + 1]
    return None


# ----------------------------------------------------------------------------- a small splitter

def _split(script: str) -> list[tuple[str, str]] | None:
    """Top-level simple commands of a script with the separator that ends each
    (`;`, `&&`, `||`, `|`, `&`, newline or end). Quotes, `$(...)`, backticks and
    parentheses are skipped over; None when the script does not parse (an
    unclosed quote), so nothing is claimed about it."""
    out: list[tuple[str, str]] = []
    current: list[str] = []
    depth = 0
    i, n = 0, len(script)
    quote = None
    while i < n:
        ch = script[i]
        if quote:
            current.append(ch)
            if ch == "\\" and quote == '"' and i + 1 < n:
                current.append(script[i + 1])
                i += 2
                continue
            if ch == quote:
                quote = None
            i += 1
            continue
        if ch == "\\" and i + 1 < n:
            current.extend(script[i:i + 2])
            i += 2
            continue
        if ch in ("'", '"', "`"):
            quote = ch
            current.append(ch)
            i += 1
            continue
        if ch == "#" and (not current or current[-1].isspace()) and depth == 0:
            while i < n and script[i] != "\n":
                i += 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0:
            two = script[i:i + 2]
            if two in ("&&", "||", ";;"):
                out.append(("".join(current), two))
                current = []
                i += 2
                continue
            if ch in (";", "\n", "|") or (ch == "&" and script[i + 1:i + 2] != ">"
                                         and (not current or current[-1] not in "<>")):
                out.append(("".join(current), ch))
                current = []
                i += 1
                continue
        current.append(ch)
        i += 1
    if quote or depth:
        return None
    out.append(("".join(current), ""))
    return out


def _tokens(text: str) -> list[str] | None:
    try:
        return shlex.split(text, comments=False, posix=True)
    except ValueError:
        return None


def analyse(shell: str, script: str) -> str | None:
    """Why `shell -c script` certainly keeps the shell as PID 1 without a TERM
    handler, or None (the shell execs its last command, handles TERM, or it
    depends on the shell)."""
    if len(script) > 20_000:
        return None
    parts = _split(script)
    if parts is None:
        return None
    commands: list[tuple[list[str], str]] = []
    for text, sep in parts:
        words = _tokens(text)
        if words is None:
            return None
        if words:
            commands.append((words, sep))
        elif sep in ("|", "&&", "||") and commands:
            return None                 # `a |\n b`: continuation we do not follow
    if not commands:
        return None
    traps = [w for words, _ in commands if words[0] == "trap" for w in words[2:]]
    if any(t.upper() in _TERM for t in traps):
        return None                     # the script handles TERM itself
    for words, _ in commands:
        body = [w for w in words if w not in _PREFIX_WORDS]
        if body[:1] == ["exec"] and any(not re.match(r"^\d*[<>&]", w) for w in body[1:]):
            return None                 # the shell replaces itself somewhere: not judged
    # Walk the top level: track compound commands (loops, if, case, groups).
    depth = 0
    last: tuple[str, list[str], str, str] | None = None  # (kind, words, separator, separator before)
    loop_open: list[str] = []
    before = ""
    for words, sep in commands:
        previous, before = before, sep
        body = words
        while body and body[0] in _PREFIX_WORDS:
            body = body[1:]
        head = body[0] if body else words[0]
        if head in _OPENERS:
            if depth == 0:
                loop_open.append(head)
            depth += 1
            continue
        if head in ("done", "fi", "esac", "}") or (head == ")" and depth):
            depth = max(0, depth - 1)
            if depth == 0:
                kind = "loop" if head == "done" and loop_open and loop_open[-1] in _LOOP_HEADS \
                    else "compound"
                last = (kind, words, sep, previous)
            continue
        if depth:
            continue
        if head.startswith("(") or head == "{" or (len(words) > 1 and words[1].startswith("(")
                                                   and words[0].endswith("()")) \
                or head.endswith("()") or head == "function":
            last = ("compound", words, sep, previous)
            continue
        last = ("simple", body or words, sep, previous)
    if last is None or depth:
        return None
    kind, words, sep, previous_sep = last
    if sep == "&":
        return None                     # the script ends: the shell exits with it
    if kind == "loop":
        return "the script ends in a loop, which no shell execs"
    if kind == "compound":
        return None
    if previous_sep == "|" or sep == "|":
        return "the script ends in a pipeline, whose stages the shell forks and waits for"
    if words and words[0] == "exec":
        return None
    if words and words[0] == "wait":
        return "the script ends with `wait`, which the shell runs itself"
    if traps:
        return "a `trap` (not for TERM) stops the shell from exec'ing its last command"
    if shell == "bash" and any(re.match(r"^\d*(>>?|<|&>)", w) for w in words[1:]):
        return "bash forks a last command that has a redirection"
    return None


# Commands that run briefly and return: a loop of these and `sleep` is periodic.
_SHORT = frozenset({"echo", "printf", "date", "hostname", "curl", "wget", "cat", "ls", "df", "du",
                    "nvidia-smi", "ps", "env", "test", "[", "[[", "cp", "mv", "rm", "touch", "mkdir",
                    "sync", "logger", "true", ":", "false", "expr", "let", "uptime", "free"})


def _periodic(script: str) -> bool:
    """A loop that only runs short commands and sleeps between them (`while
    true; do date >> /out; sleep 5; done`): nothing to drain on shutdown. A loop
    that (re)starts a program of its own (`while true; do ./server; sleep 5;
    done`) is not periodic: that program never gets the stop signal."""
    slept = False
    for text, _ in _split(script) or []:
        words = [w for w in (_tokens(text) or []) if w not in _PREFIX_WORDS]
        if words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) and (
                "$(" in words[0] or len(words) == 1):
            continue                            # an assignment: RESP=$(wget ...)
        if not words or words[0] in _OPENERS or words[0] in ("done", "fi", "esac", "break"):
            continue
        program = os.path.basename(words[0])
        if program == "sleep":
            slept = True
        elif program not in _SHORT:
            return False
    return slept


def pid1_shell(container: Any, pod: Any = None) -> ShellPid1 | None:
    """The shell that stays PID 1 in `container` and drops the stop signal, when
    that is certain; None otherwise (see the module docstring)."""
    try:
        raw_pod = getattr(pod, "raw", None)
        if isinstance(raw_pod, dict) and raw_pod.get("shareProcessNamespace") is True:
            return None
        found = shell_script(container)
        if found is None:
            return None
        shell, (script, index, key) = found
        reason = analyse(shell, script)
        if reason is None:
            return None
        return ShellPid1(shell, reason, key, index, script,
                         "loop" in reason and _periodic(script))
    except Exception:           # a command line must never take a run down
        return None
