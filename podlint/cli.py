"""Command line: lint, fix, diff, explain, graph, rules, rule.

Only click and the standard library are imported at module level, so that
`podlint --version` and `--help` stay at interpreter speed; everything else is
imported inside the command that needs it. Exit codes: 0 clean, 1 findings at
or above the failure threshold, 2 usage errors, unreadable or unparsable input,
or a crashed rule; 141 when the reader of a pipe went away (EXIT_BROKEN_PIPE).
How `-f` and `-o` read kubectl's habits is in podlint/cli_options.py.
"""
from __future__ import annotations

import os
import sys

import click

from podlint import __version__
from podlint.cli_options import io_options, resolve

EXIT_USAGE = 2
# Kept here, not imported from the reporters and renderers, so that --help stays
# at interpreter speed; tests/test_cli.py checks that they match.
LINT_FORMATS = ("text", "json", "sarif", "github", "junit")
EXPLAIN_FORMATS = ("text", "json", "mermaid", "html")
GRAPH_FORMATS = ("text", "dot", "mermaid", "json")


# A lint run allocates millions of small containers (every mapping of every
# document) and keeps a whole file's documents alive while it is linted, so the
# default collector thresholds (700, 10, 10) make CPython walk the live documents
# of big files over and over: about a quarter of the CPU of a corpus run. These
# thresholds cut that to a few percent for ~15 MB more peak memory; the output
# does not depend on them. (mypy tunes its collector the same way.)
GC_THRESHOLDS = (10_000, 20, 20)


def main(argv: list[str] | None = None) -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLDS)
    try:
        cli.main(args=argv, prog_name="podlint", standalone_mode=True)
    except KeyboardInterrupt:
        sys.stderr.write("podlint: interrupted\n")
        sys.exit(130)


def _fail(message: str) -> "None":
    click.echo(f"podlint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def use_color(option: str, stream) -> bool:
    """--color, then NO_COLOR, FORCE_COLOR, TERM=dumb, then whether it is a terminal."""
    if option in ("always", "never"):
        return option == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except Exception:
        return False


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _parse_size(text: str | None) -> int | None:
    if text is None:
        return None
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    value = text.strip().lower().rstrip("b").rstrip("i")
    factor = 1
    if value and value[-1] in units:
        factor, value = units[value[-1]], value[:-1]
    try:
        size = int(float(value) * factor)
    except (ValueError, OverflowError):         # "abc", "inf"
        size = -1
    if size <= 0:
        _fail(f"--max-file-size {text!r} is not a size such as 20M, 512K or 1000000")
    from podlint.config import LARGEST_MAX_FILE_SIZE
    if size > LARGEST_MAX_FILE_SIZE:
        _fail(f"--max-file-size {text!r} is over the largest allowed size of "
              f"{LARGEST_MAX_FILE_SIZE:,} bytes")
    return size


def _settings(config: str | None, no_config: bool, **overrides):
    """Config file + command-line overrides -> Settings. Exits 2 on any mistake."""
    from podlint.config import ConfigError, Settings, load_settings, parse_kubernetes_version, \
        validate_selectors
    from podlint.registry import RegistryError, all_rules

    try:
        rules = all_rules()
        settings = Settings() if no_config else load_settings(config, rules)
        version = overrides.pop("kubernetes_version", None)
        if version is not None:
            overrides["kubernetes_version"] = parse_kubernetes_version(version)
        assume = overrides.pop("assume", ())
        if assume:
            pairs = []
            for item in assume:
                for part in item.split(","):
                    if not part.strip():
                        continue
                    if "=" not in part:
                        raise ConfigError(f"--assume {part.strip()!r} must look like "
                                          "NAME.startup=45s or image-pull=5s")
                    key, value = part.split("=", 1)
                    pairs.append((key.strip(), value.strip()))
            overrides["assume_cli"] = tuple(pairs)
        settings = settings.with_overrides(**overrides)
        validate_selectors(settings, "command line")
        if settings.assume or settings.assume_cli:
            from podlint.assumptions import validate_assumptions
            validate_assumptions(settings.assume, "config assume")
            validate_assumptions(settings.assume_cli, "--assume")
        return settings
    except (ConfigError, RegistryError) as exc:
        _fail(str(exc))
    except ValueError as exc:
        _fail(str(exc))


def _open_output(output: str | None, inputs: tuple[str, ...]):
    if output is None:
        return sys.stdout, False
    target = os.path.realpath(output)
    for path in inputs:
        if path != "-" and os.path.exists(path) and (
                os.path.realpath(path) == target or
                (os.path.isdir(path) and target.startswith(os.path.realpath(path) + os.sep)
                 and target.lower().endswith((".yaml", ".yml", ".json")))):
            _fail(f"-o {output} would write into the inputs; choose another file")
    try:
        return open(output, "w", encoding="utf-8", newline="\n"), True
    except OSError as exc:
        _fail(f"cannot write {output}: {(exc.strerror or str(exc)).lower()}")


# What `podlint lint . | head -1` exits with once `head` has gone: 128 + SIGPIPE,
# the status a shell shows for git, cat or grep in the same place (they die of
# the signal). ruff and ripgrep exit 0 instead, but that would call a cut-short
# run clean under `set -o pipefail`; click's own handling exits 1, which reads as
# "findings". Either way nothing is printed: the reader asked for no more.
EXIT_BROKEN_PIPE = 128 + 13


def _quiet_broken_pipe() -> "None":
    """Exit EXIT_BROKEN_PIPE without a traceback, and without Python's "Exception
    ignored ... BrokenPipeError" when it flushes stdout again at shutdown: stdout
    is pointed at /dev/null first. Everything was linted before output started,
    so no worker process is left behind."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):     # not a real file (CliRunner, a wrapper)
        pass
    sys.exit(EXIT_BROKEN_PIPE)


class _Group(click.Group):
    def list_commands(self, ctx):
        return ["lint", "fix", "diff", "explain", "graph", "rules", "rule"]

    def invoke(self, ctx):
        # Caught here, below click's own EPIPE handler (which exits 1). Output is
        # flushed inside the try, so a pipe that breaks on the last buffered
        # write is caught too, whether the command returned or called sys.exit.
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            _quiet_broken_pipe()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"],
                                           "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="podlint",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Lint Kubernetes pod manifests: predict how pods start and stop, and what will go wrong.

    \b
    Examples:
      podlint lint k8s/                      lint every .yaml/.yml/.json below k8s/
      helm template . | podlint lint -       lint rendered manifests from stdin
      podlint diff git:origin/main k8s/      what a change does: rollouts, immutable fields, findings
      podlint explain deploy.yaml            the predicted startup and shutdown timeline
      podlint rule PL302                     one rule's documentation
    """


common_paths = click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))


@cli.command()
@common_paths
@io_options(LINT_FORMATS, "default text; github under GitHub Actions")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules: codes (PL301), prefixes (PL3) or names, comma-separated.")
@click.option("--extend-select", multiple=True, metavar="RULES",
              help="Add rules to the default set (e.g. the opt-in PL507).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option("--kubernetes-version", metavar="X.Y",
              help="Target Kubernetes version (default: the newest podlint knows).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file (default: nearest "
              ".podlint.yaml or [tool.podlint] in pyproject.toml, upwards).")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--no-schema", is_flag=True, help="Skip Kubernetes schema validation (PL003).")
@click.option("--assume", multiple=True, metavar="NAME=DURATION",
              help="Timing assumption, e.g. api.startup=45s, migrate.run=2m, image-pull=5s, "
                   "api.pre-stop=10s, api.post-start=5s; or what the cluster adds: mesh=istio|linkerd.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs; small inputs run serially).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (2 still means errors).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default warning).")
@click.option("--statistics", is_flag=True, help="Print a count of findings per rule.")
@click.option("--report-unused-ignores", is_flag=True, default=None,
              help="Report suppressions that silence nothing (PL006).")
@click.option("--max-file-size", metavar="SIZE", help="Skip larger files with a PL001 (default 20M).")
@click.option("--fail-if-empty", is_flag=True, help="Exit 2 when no manifest file was found.")
@click.option("--force-exclude", is_flag=True, default=None,
              help="Apply the config's exclude to files named on the command line too "
                   "(the pre-commit hook passes it).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="Colour the text output (auto: terminal only; NO_COLOR is honoured).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), default=None,
              help="Report only findings not recorded in this baseline file (docs/baseline.md).")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None,
              help="Record the run's findings in FILE and exit 0 (2 on unparsable input).")
@click.option("--report-fixed", is_flag=True,
              help="With a baseline: list its entries that no longer match, so the file can shrink.")
@click.option("--helm", "helm_charts", multiple=True, type=click.Path(file_okay=False),
              help="Render this chart folder (holding Chart.yaml) with `helm template` and lint it.")
@click.option("--values", "helm_values", multiple=True, type=click.Path(dir_okay=False),
              help="Values file for --helm (repeatable, passed to helm as --values).")
def lint(paths, short_f, fmt, short_o, output, select, extend_select, ignore, kubernetes_version,
         config, no_config, no_schema, assume, jobs, exit_zero, fail_on, statistics,
         report_unused_ignores, max_file_size, fail_if_empty, force_exclude, color, baseline_path,
         write_baseline, report_fixed, helm_charts, helm_values) -> None:
    """Lint manifests: files, directories (recursive) or - for stdin.

    Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error,
    unreadable or invalid input, or an internal error.
    """
    paths, fmt, output = resolve(LINT_FORMATS, paths, short_f, fmt, short_o, output)
    if helm_values and not helm_charts:
        _fail("--values needs --helm CHART")
    paths = paths or (() if helm_charts else (".",))
    settings = _settings(
        config, no_config,
        select=_split(select) or None, ignore=None, kubernetes_version=kubernetes_version,
        assume=assume, fail_on=fail_on, report_unused_ignores=report_unused_ignores,
        max_file_size=_parse_size(max_file_size), force_exclude=force_exclude,
        schema=False if no_schema else None)
    from dataclasses import replace
    if ignore:
        settings = replace(settings, ignore=settings.ignore + _split(ignore))
    if extend_select:
        settings = replace(settings, extend_select=settings.extend_select + _split(extend_select))
    if ignore or extend_select:
        from podlint.config import ConfigError, validate_selectors
        try:
            validate_selectors(settings, "command line")
        except ConfigError as exc:
            _fail(str(exc))
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"

    from podlint.run import lint_paths
    rendered = None
    if helm_charts:
        from podlint.helm_source import HelmError, render_charts
        try:
            rendered = render_charts(helm_charts, helm_values)
        except HelmError as exc:
            _fail(str(exc))
        settings = replace(settings, helm_charts=rendered.charts)
        paths = tuple(paths) + rendered.paths
    try:
        result = lint_paths(paths, settings, jobs)
    finally:
        if rendered is not None:
            rendered.cleanup()
    for warning in result.warnings:
        click.echo(warning, err=True)
    if write_baseline:
        _write_baseline(result, write_baseline)
    outcome = None
    baseline_path = baseline_path or settings.baseline
    if baseline_path:
        from podlint.baseline import BaselineError, apply, load
        try:
            result, outcome = apply(result, load(baseline_path))
        except BaselineError as exc:
            _fail(str(exc))

    stream, close = _open_output(output, paths)
    try:
        from podlint.reporters import render
        result.baseline = outcome
        render(fmt, result, stream, color=fmt == "text" and not close and use_color(color, stream))
        if statistics:      # after a JSON/SARIF/JUnit document it would break it: stderr
            _print_statistics(result, stream if fmt in ("text", "github") else sys.stderr)
        if outcome is not None and (fmt in ("text", "github") or report_fixed):
            from podlint.baseline import render_outcome
            target = stream if fmt in ("text", "github") else sys.stderr
            target.write(render_outcome(outcome, report_fixed))
    finally:
        if close:
            stream.close()
    if result.summary.files == 0 and fail_if_empty:
        click.echo("podlint: error: no manifest files found", err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(result.exit_code(exit_zero))


def _write_baseline(result, path: str) -> None:
    from podlint.baseline import BaselineError, write

    try:
        count = write(result.findings, path)
    except BaselineError as exc:
        _fail(str(exc))
    click.echo(f"podlint: wrote {count} finding{'' if count == 1 else 's'} to baseline {path}",
               err=True)
    broken = any(f.code in ("PL000", "PL001") for f in result.findings)
    sys.exit(EXIT_USAGE if broken else 0)


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", help="Output format (markdown: for a pull-request comment).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Exit 1 when the change introduces findings at or above this (default warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are introduced.")
@click.option("--step-summary", is_flag=True,
              help="Under GitHub Actions, also append the Markdown report to $GITHUB_STEP_SUMMARY.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option("--kubernetes-version", metavar="X.Y", help="Target Kubernetes version.")
@click.option("--assume", multiple=True, metavar="NAME=DURATION", help="Timing assumption.")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs; small inputs run serially).")
def diff(old, new, fmt, fail_on, exit_zero, step_summary, select, ignore, kubernetes_version,
         assume, config, no_config, output, jobs) -> None:
    """What applying NEW over OLD changes: rollouts, immutable fields, timelines, findings.

    \b
    OLD and NEW are files, folders, or git:REF (the same paths at a git revision,
    read with `git ls-tree` and `git show` only), e.g.:
      podlint diff git:origin/main k8s/ -f markdown

    Exit codes: 0 nothing introduced at or above --fail-on, 1 findings
    introduced, 2 usage error, bad revision, or NEW does not parse.
    """
    settings = _settings(config, no_config, select=_split(select) or None,
                         kubernetes_version=kubernetes_version, assume=assume, fail_on=fail_on)
    if ignore:
        from dataclasses import replace
        settings = replace(settings, ignore=settings.ignore + _split(ignore))
    from podlint.diff import compare, load_side
    from podlint.diff_render import markdown, render
    from podlint.gitrev import GitError, Materialized, is_git

    if is_git(old) and is_git(new):
        _fail("at most one side of podlint diff can be git:REF (the other names the paths)")
    if old == "-" and new == "-":
        _fail("only one side of podlint diff can be - (standard input)")
    made = []
    try:
        sides = []
        for spec, other in ((old, new), (new, old)):
            if is_git(spec):
                tree = Materialized(spec[4:], [other])
                made.append(tree)
                sides.append(load_side(spec, tree.paths, settings, jobs, tree.display))
            else:
                sides.append(load_side(spec, [spec], settings, jobs))
    except GitError as exc:
        _fail(str(exc))
    finally:
        for tree in made:
            tree.cleanup()
    result = compare(sides[0], sides[1], settings.fail_on)
    stream, close = _open_output(output, (old, new))
    try:
        render(fmt, result, stream)
    finally:
        if close:
            stream.close()
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary and os.environ.get("GITHUB_ACTIONS") == "true" and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(markdown(result))
        except OSError as exc:
            click.echo(f"podlint: warning: cannot append to GITHUB_STEP_SUMMARY: {exc}", err=True)
    sys.exit(result.exit_code(exit_zero))


@cli.command()
@common_paths
@click.option("--select", multiple=True, metavar="RULES",
              help="Only fix these rules: codes, prefixes or names, comma-separated.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--kubernetes-version", metavar="X.Y",
              help="Target Kubernetes version (default: the newest podlint knows).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs; small inputs run serially).")
@click.option("--force-exclude", is_flag=True, default=None,
              help="Apply the config's exclude to files named on the command line too "
                   "(the pre-commit hook passes it).")
def fix(paths, select, show_diff, kubernetes_version, config, no_config, jobs, force_exclude) -> None:
    """Apply the certain fixes (`podlint rules` marks them) in place; - reads stdin
    and prints the fixed stream.

    Exit codes: 0 nothing to fix, or fixed and written; 1 with --diff when a file
    would change; 2 usage error, or a file that cannot be read, parsed or written
    (the other files are still fixed).
    """
    settings = _settings(config, no_config, kubernetes_version=kubernetes_version,
                         force_exclude=force_exclude)
    from podlint.fix_cli import run_fix

    sys.exit(run_fix(paths or (".",), settings, _split(select) or None, show_diff, jobs))


def _print_statistics(result, stream) -> None:
    from podlint.registry import rule_index

    index = rule_index()
    rows = sorted(result.summary.by_code.items(), key=lambda kv: (-kv[1], kv[0]))
    for code, count in rows:
        spec = index.get(code)
        stream.write(f"{count:>6}  {code}  {spec.name if spec else ''}\n")


@cli.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", help="Output format.")
@click.option("--all", "show_all", is_flag=True,
              help="List every rule, the opt-in ones too, with a column saying on or opt-in "
                   "(-f json and -f markdown always list every rule).")
def rules(fmt, show_all) -> None:
    """List the rules `podlint lint` runs by default: code, name, severity, summary.

    Opt-in rules run only when selected by code or name (--extend-select PL507);
    --all lists them too.
    """
    from podlint.docs import render_catalogue
    from podlint.registry import RegistryError, all_rules

    try:
        specs = all_rules()
    except RegistryError as exc:
        _fail(str(exc))
    click.echo(render_catalogue(specs, fmt, show_all), nl=False)


@cli.command()
@click.argument("rule")
def rule(rule) -> None:
    """Show one rule's documentation (by code or name), with its examples."""
    from podlint.docs import render_rule
    from podlint.registry import RegistryError, rule_index

    try:
        index = rule_index()
    except RegistryError as exc:
        _fail(str(exc))
    spec = index.get(rule) or index.get(rule.upper())
    if spec is None:
        _fail(f"unknown rule {rule!r}; see `podlint rules`")
    click.echo(render_rule(spec), nl=False)


@cli.command()
@common_paths
@io_options(EXPLAIN_FORMATS, "default text")
@click.option("--workload", metavar="KIND/NAME", multiple=True,
              help="Only this workload (repeatable), e.g. Deployment/web.")
@click.option("--assume", multiple=True, metavar="NAME=DURATION",
              help="Timing assumption, e.g. api.startup=45s, migrate.run=2m, image-pull=5s, "
                   "api.pre-stop=10s, api.post-start=5s; or what the cluster adds: mesh=istio|linkerd.")
@click.option("--kubernetes-version", metavar="X.Y",
              help="Target Kubernetes version (default: the newest podlint knows).")
@click.option("--config", type=click.Path(dir_okay=False), help="Config file.")
@click.option("--no-config", is_flag=True, help="Ignore config files.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              help="Colour the text output.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs; small inputs run serially).")
def explain(paths, short_f, fmt, short_o, output, workload, assume, kubernetes_version, config,
            no_config, color, jobs) -> None:
    """Predict each pod's startup and shutdown timeline, the way the kubelet runs it."""
    paths, fmt, output = resolve(EXPLAIN_FORMATS, paths, short_f, fmt, short_o, output)
    fmt = fmt or "text"
    settings = _settings(config, no_config, kubernetes_version=kubernetes_version, assume=assume)
    from podlint.explain import run_explain

    stream, close = _open_output(output, paths)
    try:
        code = run_explain(paths or (".",), settings, fmt, workload, stream,
                           color=fmt == "text" and not close and use_color(color, stream),
                           jobs=jobs)
    finally:
        if close:
            stream.close()
    sys.exit(code)


@cli.command()
@common_paths
@io_options(GRAPH_FORMATS, "default text")
@click.option("--workload", metavar="KIND/NAME", multiple=True, help="Only this workload.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs; small inputs run serially).")
def graph(paths, short_f, fmt, short_o, output, workload, jobs) -> None:
    """Print each pod's lifecycle dependency graph."""
    paths, fmt, output = resolve(GRAPH_FORMATS, paths, short_f, fmt, short_o, output)
    fmt = fmt or "text"
    settings = _settings(None, True)
    from podlint.graph_cli import run_graph

    stream, close = _open_output(output, paths)
    try:
        code = run_graph(paths or (".",), settings, fmt, workload, stream, jobs=jobs)
    finally:
        if close:
            stream.close()
    sys.exit(code)


if __name__ == "__main__":
    main()
