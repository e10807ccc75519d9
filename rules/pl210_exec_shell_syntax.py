"""An exec probe or hook uses shell syntax without running a shell.

## What it does
Looks at the `command` array of every `exec` probe and lifecycle hook and flags:

- shell syntax in an array that runs no shell: a pipe, `&&`, `||`, `;` or a
  redirect as an element of its own (`["curl", "-f", "localhost", "||", "exit",
  "1"]`), `$VAR` or `${VAR}`, backticks or `$(command ...)`, `~/` and `*` globs
  in paths;
- a first element that contains spaces (`["nginx -s quit"]`): there is no binary
  of that name;
- `sh -c` (or `bash -c`, `-ec` ...) followed by a script and more arguments that
  the script never reads (`["sh", "-c", "curl", "-f", "localhost"]`): the shell
  runs only `curl`, the rest become `$0`, `$1`;
- a shell given a command line without `-c` (`["sh", "curl -f localhost"]`):
  the shell reads it as the name of a script file.

Kubernetes' own `$(VAR)` expansion is not shell syntax and is not flagged, nor is
anything inside a shell script (`["sh", "-c", "a && b"]`), nor the script
argument of interpreters (the value of `-c`, `-e`, `--eval`, `--execute`,
`--command` or `--query`, as in `python -c`, `psql -c`, `mysql -e`, `mongosh
--eval`), nor the arguments of programs with a language of their own (`awk`,
`jq`, `sed`, `expr`, `test`), nor `find ... -exec ... ;`.

## Why is this bad?
The kubelet runs the array directly through the container runtime, without a
shell. The operators reach the program as plain arguments, variables are not
expanded, and a string with spaces is one argument. The probe then tests
something else than intended (often it always succeeds, or always fails), and a
broken preStop returns at once, so the container is stopped without the drain
time it was meant to have.

## Example
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        exec:
          command: ["curl", "-sf", "http://localhost:$PORT/healthz"]  # [PL210]
      lifecycle:
        preStop:
          exec:
            command: ["nginx -s quit"]  # [PL210]
```

Use instead:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        exec:
          command: ["sh", "-c", "curl -sf http://localhost:$PORT/healthz"]
      lifecycle:
        preStop:
          exec:
            command: ["nginx", "-s", "quit"]
```

## Fix
`podlint fix` rewrites the command when what was meant is certain: one string
holding a shell command line is wrapped as `["sh", "-c", "..."]`, one string of
plain words is split into them, separate words with shell syntax become one
`sh -c` script when every word reads back unchanged, and the stray arguments
after `sh -c script` join the script. It needs a shell in the image, as the
command already assumed.

Before:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        exec:
          command: ["curl -sf http://localhost:8080/healthz || exit 1"]
      readinessProbe:
        exec:
          command:
            - cat
            - /tmp/ready
            - "&&"
            - test
            - -f
            - /tmp/serving
      lifecycle:
        preStop:
          exec: {command: ["nginx -s quit"]}
```

After:
```yaml
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      livenessProbe:
        exec:
          command: ["sh", "-c", "curl -sf http://localhost:8080/healthz || exit 1"]
      readinessProbe:
        exec:
          command:
            - sh
            - -c
            - "cat /tmp/ready && test -f /tmp/serving"
      lifecycle:
        preStop:
          exec: {command: [nginx, -s, quit]}
```

## References
- Kubernetes docs: Container Lifecycle Hooks, Hook handler implementations ("Exec - Executes a specific command")
- Kubernetes docs: Define a Command and Arguments for a Container, Use environment variables to define arguments ("The environment variable appears in parentheses, "$(VAR)". This is required for the variable to be expanded") and Run a command in a shell
- Kubernetes API: ExecAction.command ("The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell")
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

from podlint.api import Container, Context, Finding, Fix, Handler, SetValue, item_position

CODE = "PL210"
NAME = "exec-shell-syntax"
SEVERITY = "error"
OPTIONS = {}

SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "yash"})
# Programs that run the rest of the command line (timeout 5 sh -c ..., env X=1 bash -c ...).
WRAPPERS = frozenset({"env", "timeout", "nice", "nohup", "busybox", "tini", "dumb-init", "su-exec",
                      "gosu", "exec", "sudo", "chroot", "chpst", "setsid", "stdbuf", "ionice",
                      "taskset", "time", "catatonit", "s6-setuidgid", "flock", "runuser"})
# Programs whose positional arguments are scripts in a language of their own
# ($1 in awk, $ in jq and sed, | in expr): their arguments are not judged.
INTERPRETERS = frozenset({
    "awk", "gawk", "mawk", "nawk", "busybox-awk", "jq", "yq", "gojq", "sed", "expr", "test", "[",
    "find", "osqueryi", "pwsh", "powershell", "powershell.exe", "cmd", "cmd.exe",
})
# Options whose value is a script for the program (python -c, mysql -e, mongosh --eval ...).
SCRIPT_FLAGS = frozenset({"-c", "-e", "-r", "--eval", "--execute", "--command", "--exec", "--query",
                          "-Command", "-command"})
SCRIPT_FLAG_ASSIGN = re.compile(r"^--?(c|e|eval|execute|command|exec|query)=")
OPERATORS = frozenset({"|", "||", "&&", ";", "&", ">", ">>", "<", "<<", "|&"})
REDIRECT = re.compile(r"^(\d?>>?|&>>?|>&|<)(&\d+|/\S*)?$")
SHELL_VAR = re.compile(r"(?<!\$)\$(\{[A-Za-z_][A-Za-z0-9_]*[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")
COMMAND_SUBST = re.compile(r"(?<!\$)\$\([^)]*[\s|;&/][^)]*\)")
EMBEDDED = re.compile(r"\s(&&|\|\||\|)\s")
POSITIONAL = re.compile(r"\$(\{)?[0-9@*#]")


def _base(token: str) -> str:
    return token.rsplit("/", 1)[-1].lower()


def _shown(token: str, limit: int = 40) -> str:
    return json.dumps(token if len(token) <= limit else token[:limit] + "...")


def _as_shell(argv: tuple[str, ...]) -> str:
    script = " ".join(argv)
    return json.dumps(["sh", "-c", script])


def _shell_problem(argv: tuple[str, ...], start: int) -> tuple[int, str, str] | None:
    """Problems in a shell invocation argv[start] ...: sh -c with stray arguments,
    or a command line passed as a script file name."""
    shell = _base(argv[start])
    i = start + 1
    while i < len(argv):
        token = argv[i]
        if token in ("-o", "+o"):
            i += 2
            continue
        if token.startswith("-") and not token.startswith("--") and len(token) > 1:
            if "c" in token[1:]:
                if i + 1 >= len(argv):
                    return None
                script, extra = argv[i + 1], argv[i + 2:]
                if extra and not POSITIONAL.search(script):
                    names = ", ".join(f"${n}" for n in range(min(len(extra), 3))) + \
                        (", ..." if len(extra) > 3 else "")
                    return (i + 2,
                            f"runs {shell} {token} with the script {_shown(script)} and "
                            f"{len(extra)} more argument{'s' if len(extra) > 1 else ''} that the "
                            f"script never reads (they become {names})",
                            "pass the whole command line as one string: "
                            + json.dumps([argv[start], token, " ".join((script,) + extra)]))
                return None
            i += 1
            continue
        if token.startswith("--"):
            i += 1
            continue
        if re.search(r"\s", token):
            return (i, f"passes {_shown(token)} to {shell} as the name of a script file: without -c "
                       "the shell does not run it as a command line",
                    "add -c: " + json.dumps([argv[start], "-c", token] + list(argv[i + 1:])))
        return None
    return None


def _plain_problem(argv: tuple[str, ...], end: int) -> tuple[int, str, str] | None:
    """Shell syntax in argv[0:end], which no shell interprets."""
    program = _base(argv[0])
    if re.search(r"\s", argv[0].strip()):
        # A shell command line in one string: `sh -c` runs it as written. Splitting
        # it into words is offered only when no word would be shell syntax, which
        # this rule would flag again (a | or $VAR is no operator outside a shell).
        parts = tuple(argv[0].split()) + tuple(argv[1:end])
        hint = "run it in a shell: " + _as_shell(argv[:end])
        if _plain_problem(parts, len(parts)) is None and not any(
                "'" in part or '"' in part for part in parts):
            hint += "; or, as it uses no shell syntax, give each word its own element: " \
                + json.dumps(list(parts))
        return (0, f"runs a binary named {_shown(argv[0])}: an exec command is not split on "
                   "spaces, so there is no such program", hint)
    own_syntax = program in INTERPRETERS
    skip_next = False
    seen_exec = False
    for index in range(1, end):
        token = argv[index]
        if skip_next:
            skip_next = False
            continue
        if token in SCRIPT_FLAGS:
            skip_next = True
            continue
        if SCRIPT_FLAG_ASSIGN.match(token):
            continue
        if token in ("-exec", "-execdir", "-ok", "-okdir"):
            seen_exec = True
        if program in ("expr", "test", "["):
            continue
        if token in OPERATORS or REDIRECT.match(token):
            if token in (";", "+") and seen_exec:
                continue
            return (index, f"passes {_shown(token)} to {argv[0]} as a plain argument: exec runs no "
                           "shell, so pipes, &&, ; and redirects are not interpreted",
                    "run it in a shell: " + _as_shell(argv[:end]))
        if own_syntax:
            continue
        if "`" in token or COMMAND_SUBST.search(token):
            return (index, f"passes {_shown(token)} to {argv[0]} literally: exec runs no shell, so "
                           "command substitution does not happen",
                    "run it in a shell: " + _as_shell(argv[:end]))
        var = SHELL_VAR.search(token)
        if var:
            name = var.group(1).strip("{}").split(":")[0]
            return (index, f"passes {_shown(token)} to {argv[0]} literally: exec runs no shell, so "
                           f"${var.group(1)} is not expanded (Kubernetes expands only $(VAR))",
                    f"write $({name}) for a container environment variable, or run it in a shell: "
                    + _as_shell(argv[:end]))
        if EMBEDDED.search(token):
            return (index, f"passes {_shown(token)} to {argv[0]} as one argument: exec runs no "
                           "shell, so the operators in it are not interpreted",
                    "run it in a shell: " + _as_shell(argv[:end]))
        if (token.startswith("/") and "*" in token) or token == "~" or token.startswith("~/"):
            return (index, f"passes {_shown(token)} to {argv[0]} literally: exec runs no shell, so "
                           "globs and ~ are not expanded",
                    "spell out the path, or run it in a shell: " + _as_shell(argv[:end]))
    return None


def _problem(argv: tuple[str, ...]) -> tuple[int, str, str] | None:
    shell_at = None
    if _base(argv[0]) in SHELLS:
        shell_at = 0
    elif _base(argv[0]) in WRAPPERS:
        shell_at = next((i for i, token in enumerate(argv) if _base(token) in SHELLS), None)
    if shell_at is not None and shell_at > 0:
        # A wrapper (timeout 5 sh -c ..., env X=1 bash -c ...) before the shell.
        found = _plain_problem(argv, shell_at)
        if found:
            return found
    if shell_at is not None:
        return _shell_problem(argv, shell_at)
    return _plain_problem(argv, len(argv))


def _handlers(container: Container) -> Iterator[tuple[str, Handler]]:
    for probe in container.probes:
        yield probe.field_name, probe.handler
    for hook in container.hooks:
        yield f"{hook.kind} hook", hook.handler


def check(ctx: Context) -> Iterator[Finding]:
    for container in ctx.pod.all_containers:
        for what, handler in _handlers(container):
            argv = handler.command
            if handler.action != "exec" or not argv or not argv[0].strip():
                continue
            found = _problem(argv)
            if found is None:
                continue
            index, problem, hint = found
            raw = handler.raw.get("command") if isinstance(handler.raw, dict) else None
            fallback = handler.where("command", value=True)
            location = item_position(raw, index, ctx.path, fallback) if isinstance(raw, list) else fallback
            yield ctx.finding(location, f'exec command of {what} in container "{container.name}" {problem}',
                              container=container.name, hint=hint)


# A word the shell reads back as itself, or as the variable or glob the author
# meant: no quotes, backslashes, spaces, parentheses or a leading #.
_WORD = re.compile(r"^[A-Za-z0-9_./:=,@%+\-${}*~]+$")
_SHELL_CHARS = re.compile(r"[|&;<>$`*~]")


def fixed_command(argv: tuple[str, ...]) -> list[str] | None:
    """The command the author meant, when it is certain; None otherwise.

    - one string holding a shell command line (`["curl -f x || exit 1"]`):
      wrapped as `["sh", "-c", <the string>]`;
    - one string of plain words (`["nginx -s quit"]`): split into its words;
    - separate words with shell syntax (`["curl", "-f", "x", "||", "exit", "1"]`):
      joined into one `sh -c` script, only when every word reads back unchanged;
    - `sh -c script stray args`: the args joined into the script; `sh "a b"`: -c added.
    A wrapper before the shell (`timeout 5 sh ...`) is left alone.
    """
    base = _base(argv[0])
    if base in SHELLS:
        for index in range(1, len(argv)):
            token = argv[index]
            if token.startswith("-") and not token.startswith("--") and "c" in token[1:]:
                script, extra = argv[index + 1: index + 2], argv[index + 2:]
                if not script or not extra or not all(_WORD.match(t) for t in extra):
                    return None
                return list(argv[: index + 1]) + [" ".join(script + extra)]
            if token.startswith("-"):
                continue
            if re.search(r"\s", token):
                return list(argv[:index]) + ["-c"] + list(argv[index:])
            return None
        return None
    if base in WRAPPERS or base in INTERPRETERS:
        return None
    if len(argv) == 1 and re.search(r"\s", argv[0].strip()):
        line = argv[0].strip()
        if _SHELL_CHARS.search(line):
            return ["sh", "-c", line]
        if re.search(r"[\\'\"#(){}]", line):
            return None
        return line.split()
    if re.search(r"\s", argv[0]) or not all(t in OPERATORS or REDIRECT.match(t) or
                                             (_WORD.match(t) and not t.startswith("#"))
                                             for t in argv):
        return None
    return ["sh", "-c", " ".join(argv)]


def fix(ctx: Context) -> Iterator[Fix]:
    flagged = {(f.location, f.container): f for f in check(ctx)}
    for container in ctx.pod.all_containers:
        for what, handler in _handlers(container):
            argv = handler.command
            if handler.action != "exec" or not argv or not argv[0].strip():
                continue
            found = _problem(argv)
            if found is None or not isinstance(handler.raw, dict):
                continue
            raw = handler.raw.get("command")
            fallback = handler.where("command", value=True)
            location = item_position(raw, found[0], ctx.path, fallback) if isinstance(raw, list) else fallback
            finding = flagged.get((location, container.name))
            if finding is None or not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
                continue
            new = fixed_command(argv)
            if new is None or new == list(argv) or _problem(tuple(new)) is not None:
                continue
            yield Fix(finding, (SetValue(handler.raw, "command", new),), f"command: {json.dumps(new)}")
