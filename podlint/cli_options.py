"""`-f` and `-o` as podlint's users type them, whether they come from kubectl or not.

podlint's own options are `-f FORMAT` and `-o FILE`; kubectl (and checkov) users
type `-f FILE` (`kubectl apply -f deploy.yaml`) and `-o FORMAT` (`kubectl get -o
json`), and `kubectl podlint lint -f deploy.yaml` is what they try first. The
short options therefore take either meaning, decided by the value alone; the long
options keep one meaning each, so scripts can always say exactly what they mean:

- `--format NAME` is always a format, `--output FILE` always a file.
- `-f VALUE`: a format name of the command (lint: text, json, sarif, github,
  junit) is the format; any other value is a path to lint, like a PATH argument
  (a file, a directory or `-` for stdin), and `-f` may be repeated.
  A format name that is also a file or directory in the current folder (a file
  literally named `json`) is ambiguous and a usage error that says how to write
  either. A bare word (no `/`, no `.`) that is neither a format nor an existing
  path is a usage error too: it is a mistyped format far more often than a file.
- `-o VALUE`: a format name is the format (written to standard output); a
  kubectl-only format (`yaml`, `wide`, `name`, `jsonpath=...`) is a usage error
  rather than a file of that name; any other value is the report file.
- Two different formats (`-f json -o sarif`) or two report files are a usage
  error.

Only click and the standard library are imported: this runs for `--help` too.
"""
from __future__ import annotations

import os
from typing import Callable, NoReturn

import click

# kubectl's -o values that podlint has no format for: a clear error instead of a
# report file called "yaml" in the current folder.
KUBECTL_ONLY = ("yaml", "wide", "name")
KUBECTL_ONLY_PREFIXES = ("jsonpath", "go-template", "custom-columns", "template")


def io_options(formats: tuple[str, ...], default_note: str) -> Callable:
    """The four options (-f, --format, -o, --output) of lint, explain and graph."""
    names = ", ".join(formats)

    def decorate(function):
        for option in reversed((
            click.option("-f", "short_f", multiple=True, metavar="FORMAT|PATH",
                         help=f"A format ({names}), or, as in kubectl, a file, directory or - "
                              "to read (repeatable). A name that is both is an error: use "
                              "--format NAME or ./NAME."),
            click.option("--format", "fmt", type=click.Choice(formats), default=None,
                         help=f"Output format ({default_note})."),
            click.option("-o", "short_o", metavar="FILE|FORMAT",
                         help="Write the report to FILE; a format name (-o json), as in "
                              "kubectl, picks the format instead."),
            click.option("--output", "output", type=click.Path(dir_okay=False), metavar="FILE",
                         help="Write the report to FILE (always a file)."),
        )):
            function = option(function)
        return function

    return decorate


def _fail(message: str) -> NoReturn:
    click.echo(f"podlint: error: {message}", err=True)
    raise SystemExit(2)


def _bare_word(value: str) -> bool:
    return not any(ch in value for ch in ("/", os.sep, ".")) and value != "-"


def resolve(formats: tuple[str, ...], paths: tuple[str, ...], short_f: tuple[str, ...],
            fmt: str | None, short_o: str | None,
            output: str | None) -> tuple[tuple[str, ...], str | None, str | None]:
    """(paths, format or None, output file or None) from what was typed; exits 2
    on an ambiguous or contradictory combination (module docstring)."""
    names = ", ".join(formats)
    chosen: list[tuple[str, str]] = [("--format", fmt)] if fmt else []
    extra: list[str] = []
    for value in short_f:
        if value in formats:
            if os.path.lexists(value):
                _fail(f'-f {value} is ambiguous: "{value}" is a format and also a file or '
                      f"directory here. Write --format {value} for the format, or -f ./{value} "
                      "to read the file.")
            chosen.append(("-f", value))
        elif _bare_word(value) and not os.path.lexists(value):
            _fail(f"-f {value}: not a format ({names}) and no file or directory of that name")
        else:
            extra.append(value)
    if short_o is not None:
        if short_o in formats:
            chosen.append(("-o", short_o))
        elif short_o in KUBECTL_ONLY or short_o.startswith(KUBECTL_ONLY_PREFIXES):
            _fail(f"-o {short_o}: podlint has no such format ({names}); write --output "
                  f"{short_o} for a report file of that name")
        elif output is not None:
            _fail(f"two report files: -o {short_o} and --output {output}")
        else:
            output = short_o
    if len({value for _, value in chosen}) > 1:
        _fail("two formats: " + ", ".join(f"{option} {value}" for option, value in chosen))
    return tuple(paths) + tuple(extra), (chosen[0][1] if chosen else None), output
