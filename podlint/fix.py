"""`podlint fix`: apply the certain fixes that rules declare, keeping every untouched byte.

Per file: read the bytes (remembering a BOM and the codec), parse, lint with
the run's rules (so suppressions, per-path ignores and `--select` decide what
is fixed, exactly as they decide what `lint` reports), ask each rule that has
a `fix(ctx)` for its fixes, keep those whose finding survived the filter, turn
them into text edits (podlint/edits.py), and apply them bottom-up.

Nothing is kept on trust. The result is parsed again and must hold exactly the
intended data (the original documents with the fixed fields changed, nothing
else), and linted again with the default rules plus the fixing ones: in every
document the fixed findings must be gone and no rule may report more than
before. A document that fails either check loses all its fixes and the file is
redone without them, so a fix that would break anything is reported as not
applied instead of written.

Only the CLI writes (atomically); this module returns the new bytes.
"""
from __future__ import annotations

import bisect
import codecs
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import partial

from podlint.config import Settings
from podlint.context import Context
from podlint.edits import Document as EditDocument
from podlint.edits import Fix, NotCertain, TextEdit, apply_edits, apply_ops
from podlint.engine import lint_loaded
from podlint.filter import RulePlan
from podlint.finding import Finding
from podlint.loader import STDIN_NAME, LoadedFile, Source, parse_text
from podlint.model import model_document

MAX_ROUNDS = 4
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
MAX_TRIES = 8                  # renders per round: each failed try drops at least one fix
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass
class Applied:
    finding: Finding
    description: str


@dataclass
class FileFix:
    path: str
    old_text: str | None = None
    old_bytes: bytes | None = None
    new_text: str | None = None
    new_bytes: bytes | None = None          # None: nothing to write
    applied: list[Applied] = field(default_factory=list)
    refused: list[tuple[Finding, str]] = field(default_factory=list)
    error: str | None = None
    lenient: bool = False                   # a round let a fixable finding appear

    @property
    def changed(self) -> bool:
        return self.new_bytes is not None


@dataclass(frozen=True)
class FixPlan:
    lint: RulePlan              # the selected rules (which of them have a fix decides what is fixed)
    verify: RulePlan            # the rules that must not report more after the fix
    fix_codes: frozenset


def build_plan(settings: Settings, select: tuple[str, ...] | None) -> FixPlan:
    from podlint.registry import all_rules, resolve_selector

    rules = all_rules()
    lint = RulePlan.build(settings if not select else replace(settings, select=select), rules)
    fix_codes = frozenset(spec.code for spec in lint.rules if spec.fix is not None)
    verify = RulePlan.build(replace(settings, select=None,
                                    extend_select=settings.extend_select + tuple(sorted(fix_codes))),
                            rules)
    return FixPlan(lint, verify, fix_codes)


# ----------------------------------------------------------------------------- bytes

def decode(data: bytes) -> tuple[str, bytes, str] | None:
    """(text, bom, codec) or None when the bytes are not text we can write back."""
    bom, codec = b"", "utf-8"
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, codec = mark, name
            break
    try:
        text = data[len(bom):].decode(codec)
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return text, bom, codec


def read_bytes(path: str) -> bytes:
    if path == STDIN_NAME:
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


# ----------------------------------------------------------------------------- one file

def fix_source(source: Source, settings: Settings, plan: FixPlan, data: bytes | None = None) -> FileFix:
    out = FileFix(source.path)
    if source.error:
        out.error = f"cannot read: {source.error}"
        return out
    try:
        if data is None and source.path != STDIN_NAME and \
                os.path.getsize(source.path) > settings.max_file_size:
            out.error = f"over the limit of {settings.max_file_size:,} bytes (--max-file-size): not fixed"
            return out
        raw = read_bytes(source.path) if data is None else data
    except OSError as exc:
        out.error = f"cannot read: {(exc.strerror or str(exc)).lower()}"
        return out
    out.old_bytes = raw
    decoded = decode(raw)
    if decoded is None:
        out.error = "not UTF-8/16/32 text: not fixed"
        return out
    text, bom, codec = decoded
    out.old_text = text
    try:
        new_text = fix_text(text, source.path, settings, plan, out)
    except RecursionError:
        out.error = "nesting too deep to fix"
        return out
    except Exception as exc:            # a bug here must not take the other files down
        detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        out.error = f"internal error while fixing, file left as it was: {detail}"
        return out
    if new_text is not None and new_text != text:
        out.new_text = new_text
        out.new_bytes = bom + new_text.encode(codec)
    return out


def is_json(path: str, text: str) -> bool:
    if path.lower().endswith(".json"):
        return True
    return path == STDIN_NAME and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def fix_text(text: str, path: str, settings: Settings, plan: FixPlan, out: FileFix) -> str | None:
    """The fixed text, or None when nothing changes. Records what was applied
    or refused in `out`; parse errors become `out.error`.

    A fix may make another rule apply (a grace raised above an exec `sleep 60`
    lets PL306 suggest the native action). Such a finding is allowed in between
    when its rule has a fix too, and the file goes round again (at most
    MAX_ROUNDS times); the end result must hold no finding that the original
    did not. When it does, the file is fixed in one strict round instead.
    """
    first = FileFix(path)
    current, rounds = text, 0
    original_counts = None
    while rounds < MAX_ROUNDS:
        step = FileFix(path)
        new, counts = _fix_round(current, path, settings, plan, step, lenient=True)
        if rounds == 0:
            first, original_counts = step, counts
        else:
            first.applied += step.applied
        if new is None or new == current:
            break
        current, rounds = new, rounds + 1
        if not step.lenient:
            break                       # nothing new appeared: no second round needed
    if rounds == 0:
        out.error, out.refused = first.error, first.refused
        return None
    if not first.lenient or _no_new_findings(current, path, settings, plan, original_counts):
        out.applied += first.applied
        out.refused += first.refused
        return current
    new, _ = _fix_round(text, path, settings, plan, out, lenient=False)
    return new


def _no_new_findings(text: str, path: str, settings: Settings, plan: FixPlan, before: dict) -> bool:
    loaded = parse_text(text, LoadedFile(path))
    after = _counts(loaded, lint_loaded(loaded, settings, plan.verify).findings)
    return all(count <= before.get(doc, Counter())[code]
               for doc, codes in after.items() for code, count in codes.items())


def _fix_round(text: str, path: str, settings: Settings, plan: FixPlan, out: FileFix,
               lenient: bool) -> tuple[str | None, dict | None]:
    json_file = is_json(path, text)
    yaml_text = text.replace("\t", " ") if json_file else text
    loaded = parse_text(text, LoadedFile(path))
    if loaded.parse_failed:
        first = next(f for f in loaded.findings if f.code == "PL001")
        out.error = f"{first.location.line}:{first.location.column}: {first.message} (not fixed)"
        return None, None
    if loaded.skipped or not loaded.documents:
        return None, None
    # One lint with the verifying rules (a superset of the fixing ones) gives both
    # the findings to fix and the counts nothing may exceed afterwards; filters act
    # per code, so the fixing rules' findings are the same as in a lint of their own.
    checked = lint_loaded(loaded, settings, plan.verify).findings
    before = [f for f in checked if f.code in plan.fix_codes]
    surviving = {_key(f) for f in before}
    if not surviving:
        return None, None
    fixes = _collect(loaded, settings, plan, surviving)
    covered = {_key(fix.finding) for _, fix in fixes}
    out.refused += [(fix.finding, fix.description) for _, fix in fixes if not fix.changes]
    out.refused += [(f, "no certain fix") for f in before
                    if f.code in plan.fix_codes and _key(f) not in covered]
    fixes = [(doc, fix) for doc, fix in fixes if fix.changes]
    if not fixes:
        return None, None
    if json_file and _SURROGATE_ESCAPE.search(text):
        # The loader rewrites these escapes (YAML cannot read them), which moves
        # the columns of that line: positions would not fit the file's own text.
        out.refused += [(fix.finding, "JSON with escaped surrogate pairs") for _, fix in fixes]
        return None, None
    try:
        document = EditDocument(yaml_text, json_file, text)
        original_data = _plain(yaml_text)
    except Exception as exc:    # e.g. a mapping key the plain constructor cannot hash
        out.refused += [(fix.finding, f"cannot read the file's data back to check a fix "
                                      f"({type(exc).__name__})") for _, fix in fixes]
        return None, None
    verify_before = _counts(loaded, checked)
    allowed_new = plan.fix_codes if lenient else frozenset()
    dropped: set[int] = set()
    for _ in range(MAX_TRIES):
        edits, ops, kept = _render(document, fixes, dropped, out)
        if not kept:
            return None, verify_before
        new_text = apply_edits(text, edits)
        bad_docs = _verify(new_text, path, json_file, settings, plan, original_data, ops,
                           verify_before, kept, allowed_new, out)
        if not bad_docs:
            out.applied += [Applied(fix.finding, fix.description) for _, fix in kept]
            return new_text, verify_before
        for doc, reason in bad_docs.items():
            for fix in _suspects([f for d, f in kept if d == doc]):
                dropped.add(id(fix))
                out.refused.append((fix.finding, reason))
    return None, verify_before


# When a document fails its check, the fixes of the widest-reaching rule present
# are dropped first and the rest are tried again, so that an apiVersion migration
# that exposes a schema problem does not also cost the document its small fixes.
WIDEST_FIRST = ("PL004", "PL007", "PL210", "PL306", "PL302", "PL303", "PL208", "PL204", "PL401")


def _suspects(fixes: list) -> list:
    rank = {code: number for number, code in enumerate(WIDEST_FIRST)}
    worst = min((rank.get(fix.finding.code, -1) for fix in fixes), default=None)
    return [fix for fix in fixes if rank.get(fix.finding.code, -1) == worst]


def _key(finding: Finding) -> tuple:
    """A finding as lint reports it and as the rule's fix() sees it: the message
    is left out, because later stages may add to it (a Helm `# Source:` note)."""
    return (finding.code, finding.location.line, finding.location.column, finding.container)


def _collect(loaded: LoadedFile, settings: Settings, plan: FixPlan, surviving: set) -> list:
    """(document index, Fix) for every fix whose finding the run would report."""
    specs = [spec for spec in plan.lint.rules_for(loaded.path) if spec.code in plan.fix_codes]
    out, seen = [], set()
    for document in loaded.documents:
        ctx = Context(settings, document)
        workload, pod, problem = model_document(document)
        pod_ctx = Context(settings, document, workload, pod) if pod is not None else None
        for spec in specs:
            context = ctx if spec.scope == "document" else pod_ctx
            if context is None:
                continue
            context.rule = spec
            try:
                fixes = list(spec.fix(context) or ())
            except Exception:           # a broken fixer fixes nothing; lint reports its rule
                continue
            for fix in fixes:
                key = _key(fix.finding)
                if key in surviving and key not in seen:
                    seen.add(key)
                    out.append((document.index, fix))
    return out


def _render(document: EditDocument, fixes: list, dropped: set, out: FileFix):
    """Text edits for the fixes not dropped; a fix whose edits overlap an earlier
    fix's (other than the very same edit) is refused."""
    edits: list[TextEdit] = []
    ops: list = []
    kept: list = []
    taken: set[TextEdit] = set()
    for doc, fix in fixes:
        if id(fix) in dropped:
            continue
        try:
            mine, my_ops = [], []
            for change in fix.changes:
                e, o = document.edits_for(change)
                mine += e
                my_ops += o
        except (NotCertain, KeyError, IndexError, TypeError, AttributeError) as exc:
            dropped.add(id(fix))
            out.refused.append((fix.finding, str(exc) or "not certain"))
            continue
        new = [e for e in mine if e not in taken]
        if any(_overlaps(e, other) for e in new for other in edits):
            dropped.add(id(fix))
            out.refused.append((fix.finding, "overlaps another fix"))
            continue
        edits += new
        taken.update(new)
        ops += [o for o in my_ops if not any(_same_op(o, p) for p in ops)]
        kept.append((doc, fix))
    return edits, ops, kept


def _same_op(a, b) -> bool:
    return a.doc == b.doc and a.path == b.path and a.delete == b.delete and a.value == b.value


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start < b.end and b.start < a.end
    return a.start < b.end and b.start < a.end


def _plain(text: str) -> list:
    from ruamel.yaml import YAML
    import ruamel.yaml.main as yaml_main

    return list(YAML(typ="safe", pure=yaml_main.CParser is None).load_all(text))


def _counts(loaded: LoadedFile, findings: list[Finding]) -> dict[int, Counter]:
    """Findings per document index and code (a finding belongs to the last
    document that starts at or above its line)."""
    starts: dict[int, int] = {}
    for document in loaded.documents:
        starts[document.index] = min(starts.get(document.index, document.line), document.line)
    order = sorted((line, index) for index, line in starts.items())
    lines = [line for line, _ in order]
    counts: dict[int, Counter] = {}
    for finding in findings:
        at = bisect.bisect_right(lines, finding.location.line) - 1
        index = order[max(at, 0)][1] if order else 0
        counts.setdefault(index, Counter())[finding.code] += 1
    return counts


def _verify(new_text: str, path: str, json_file: bool, settings: Settings, plan: FixPlan,
            original_data: list, ops: list, verify_before: dict, kept: list,
            allowed_new: frozenset = frozenset(), out: FileFix | None = None) -> dict[int, str]:
    """{document index: reason} for every document the edits broke; {} when all is well."""
    all_docs = {doc for doc, _ in kept}
    loaded = parse_text(new_text, LoadedFile(path))
    if loaded.parse_failed:
        return {doc: "the edit would not parse" for doc in all_docs}
    try:
        expected = apply_ops(original_data, ops)
        actual = _plain(new_text.replace("\t", " ") if json_file else new_text)
    except Exception:
        return {doc: "the edit would not give the intended data" for doc in all_docs}
    bad: dict[int, str] = {}
    if len(expected) != len(actual):
        return {doc: "the edit changes the documents of the file" for doc in all_docs}
    for doc in all_docs:
        if expected[doc] != actual[doc]:
            bad[doc] = "the edit would not give the intended data"
    after = _counts(loaded, lint_loaded(loaded, settings, plan.verify).findings)
    fixed: dict[int, Counter] = {}
    for doc, fix in kept:
        fixed.setdefault(doc, Counter())[fix.finding.code] += 1
    for doc in all_docs:
        was, now = verify_before.get(doc, Counter()), after.get(doc, Counter())
        for code in set(was) | set(now):
            allowed = was[code] - fixed.get(doc, Counter())[code]
            if now[code] > allowed and code in allowed_new and code not in fixed.get(doc, {}):
                if out is not None:
                    out.lenient = True
                continue
            if now[code] > allowed:
                grew = "is still reported" if code in fixed.get(doc, {}) else "would be reported"
                bad.setdefault(doc, f"{code} {grew} after the fix")
                break
    return bad


def fix_sources(sources: list[Source], settings: Settings, plan: FixPlan,
                jobs: int | None) -> list[FileFix]:
    from podlint.run import map_files

    return map_files(sources, partial(fix_source, settings=settings, plan=plan), jobs, _crashed)


def _crashed(chunk: list[Source], reason: str) -> list[FileFix]:
    return [FileFix(source.path, error=f"not fixed: {reason}"[:300]) for source in chunk]


# ----------------------------------------------------------------------------- output helpers

def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of two texts, with git's marker for a missing final newline."""
    import difflib

    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    out = []
    name = path.lstrip("/")
    for line in difflib.unified_diff(old_lines, new_lines, f"a/{name}", f"b/{name}"):
        if not line.endswith(("\n", "\r")):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def write_atomically(path: str, data: bytes) -> None:
    """Write through a temporary file in the same folder and os.replace, keeping
    the file's mode; a symlink's target is replaced, the link stays."""
    import os
    import stat
    import tempfile

    target = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    folder = os.path.dirname(target) or "."
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(target)}.",
                                         suffix=".podlint-fix")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
