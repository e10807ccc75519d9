"""Seeded, stratified sample of podlint's findings on a corpus, for a blind hand review
(issue 10, design.md section 7: every finding is judged true, noise or false).

What it does:

- runs `podlint lint CORPUS -f json` (the default rules; `--opt-in` adds every
  opt-in rule through `--extend-select`), in a fresh interpreter;
- groups the findings into strata, one per (rule code, severity), and draws N of
  them (default 105) with `random.Random(SEED)`: every stratum gets
  `--min-per-rule` (default 3, or all of it when it has fewer), the rest of N is
  shared in proportion to the strata's sizes (largest remainders, ties by code);
  N is exceeded only when the minimums alone need more;
- writes one Markdown file with, for each sampled finding: a sample id, code,
  severity, message, hint, path:line:col, workload/container, and the corpus
  file's lines around the location (the whole YAML document when it has at most
  `--whole-doc` lines, else +-`--context` lines), the finding's line marked `>>`.

The same seed, corpus and podlint give the same sample: findings are put in a
canonical order (relative path, line, column, code, message, workload,
container) before drawing, and the report names the seed, the podlint commit
and the finding counts, so anyone can check they reviewed the same thing.

`--verdicts FILE` reads a reviewer's verdicts (tab-separated: sample id,
verdict true/noise/false, reason; `#` comments) and prints the per-rule table
(findings in corpus, sampled, true, noise, false) and the sample list with
verdicts, as Markdown, for docs/precision.md.

`--fail-share` instead measures how many of the corpus's workloads fail at a
threshold (default `warning`, the default of `podlint lint --fail-on`): the
workloads are those `podlint explain -f json` models (every pod-carrying object
of the run, one entry per object), and a workload fails when at least one
finding attributed to it (`explain`'s per-workload findings, the same findings
`lint` reports with that workload) has a severity at or above the threshold.
Findings on no workload (parse errors, schema errors on Services, ...) do not
count for any workload. The output states this definition, the total, and for
each rule how many workloads it alone would make fail and how many fail only
because of it.

`--patterns` sorts the findings of the rules where a review found noise or false
findings into the patterns it found (control-plane static Pods, idle or image-less
containers, cluster dumps, equal probe timeout and period, undeclared numeric ports,
and for PL201/PL301 where the Service the message names sits: same file, same
original folder, same repository), reading the manifests itself so that a rule change
cannot move its own yardstick.

Usage:
    python benchmarks/precision_sample.py --corpus ../shared/corpus --seed 20261202 -n 105 \\
        -o /tmp/sample.md
    python benchmarks/precision_sample.py --corpus ../shared/corpus --seed 20261202 -n 105 \\
        --verdicts verdicts.tsv -o /tmp/tables.md
    python benchmarks/precision_sample.py --corpus ../shared/corpus --fail-share
    python benchmarks/precision_sample.py --corpus ../shared/corpus --patterns
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
VERDICTS = ("true", "noise", "false")


def podlint_command() -> list[str]:
    """The podlint of this interpreter (the repository's editable install)."""
    return [sys.executable, "-m", "podlint"]


def run_json(args: list[str]) -> dict:
    """Run podlint with `args` (which must write JSON to the -o file) and load it.
    Exit codes 0, 1 and 2 are all normal on a corpus (2: some files do not parse)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        proc = subprocess.run(podlint_command() + args + ["-o", out],
                              capture_output=True, text=True)
        if not os.path.exists(out):
            sys.exit(f"podlint {' '.join(args)} wrote no output (exit {proc.returncode}):\n"
                     f"{proc.stderr[-2000:]}")
        with open(out, encoding="utf-8") as handle:
            return json.load(handle)


def opt_in_rules() -> list[str]:
    proc = subprocess.run(podlint_command() + ["rules", "-f", "json"],
                          capture_output=True, text=True, check=True)
    return [rule["code"] for rule in json.loads(proc.stdout) if not rule.get("default", True)]


def lint_args(corpus: str, opt_in: bool) -> list[str]:
    args = ["lint", corpus, "-f", "json", "--no-config"]
    if opt_in:
        rules = opt_in_rules()
        if rules:
            args += ["--extend-select", ",".join(rules)]
    return args


def git_commit() -> str:
    repo = Path(__file__).resolve().parent.parent
    try:
        proc = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", "HEAD"],
                              capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True)
        return proc.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def relative(path: str, corpus: str) -> str:
    try:
        return os.path.relpath(path, corpus) if os.path.isdir(corpus) else os.path.basename(path)
    except ValueError:
        return path


def canonical(findings: list[dict], corpus: str) -> list[dict]:
    """Findings in an order that depends on nothing but their content."""
    for finding in findings:
        finding["relpath"] = relative(finding.get("path") or "", corpus)
    return sorted(findings, key=lambda f: (
        f["relpath"], f.get("line") or 0, f.get("column") or 0, f["code"], f.get("message") or "",
        f.get("workload") or "", f.get("container") or ""))


def allocate(sizes: dict[tuple, int], total: int, minimum: int) -> dict[tuple, int]:
    """How many to draw per stratum: `minimum` each (or all of a smaller one), the rest
    of `total` in proportion to size, by largest remainder, never more than a stratum has."""
    quota = {key: min(size, minimum) for key, size in sizes.items()}
    remaining = total - sum(quota.values())
    while remaining > 0:
        room = {key: sizes[key] - quota[key] for key in sizes if sizes[key] > quota[key]}
        if not room:
            break
        weight = sum(sizes[key] for key in room)
        shares = {key: remaining * sizes[key] / weight for key in room}
        granted = 0
        for key in room:
            extra = min(int(shares[key]), room[key])
            quota[key] += extra
            granted += extra
        left = remaining - granted
        for key in sorted(room, key=lambda k: (-(shares[k] - int(shares[k])), k)):
            if left <= 0:
                break
            if quota[key] < sizes[key]:
                quota[key] += 1
                left -= 1
        remaining = total - sum(quota.values())
        if granted == 0 and left == remaining:
            break
    return quota


def draw(findings: list[dict], n: int, seed: int, minimum: int) -> list[dict]:
    strata: dict[tuple, list[dict]] = collections.defaultdict(list)
    for finding in findings:
        strata[(finding["code"], finding["severity"])].append(finding)
    quota = allocate({key: len(items) for key, items in strata.items()}, n, minimum)
    rng = random.Random(seed)
    sample = []
    for key in sorted(strata):
        picked = rng.sample(range(len(strata[key])), quota[key])
        sample += [strata[key][index] for index in sorted(picked)]
    for number, finding in enumerate(sample, 1):
        finding["id"] = f"S{number:03d}"
    return sample


def documents(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 1-based line ranges of the YAML documents of a file."""
    bounds, start = [], 1
    for number, line in enumerate(lines, 1):
        if line.startswith("---") and line[3:4] in ("", " ", "\t", "\n", "\r"):
            if number > start:
                bounds.append((start, number - 1))
            start = number + 1
    bounds.append((start, max(len(lines), start)))
    return bounds


def excerpt(path: str, line: int, context: int, whole_doc: int) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError as error:
        return f"(cannot read {path}: {error})"
    if not lines:
        return "(empty file)"
    line = min(max(line or 1, 1), len(lines))
    first, last = max(1, line - context), min(len(lines), line + context)
    for start, end in documents(lines):
        if start <= line <= end and end - start + 1 <= whole_doc:
            first, last = start, end
            break
    width = len(str(last))
    return "\n".join(f"{'>>' if number == line else '  '} {number:>{width}} | {lines[number - 1]}"
                     for number in range(first, last + 1))


def sample_markdown(sample: list[dict], header: list[str], args) -> str:
    out = header + [""]
    for finding in sample:
        where = f"{finding['relpath']}:{finding.get('line')}:{finding.get('column')}"
        subject = " / ".join(x for x in (finding.get("workload"), finding.get("container")) if x)
        out += [f"## {finding['id']} {finding['code']} {finding['name']} [{finding['severity']}]", "",
                f"- where: `{where}`", f"- workload/container: {subject or '-'}",
                f"- message: {finding.get('message')}", f"- hint: {finding.get('hint') or '-'}",
                "- verdict: ", "", "```",
                excerpt(finding["path"], finding.get("line") or 1, args.context, args.whole_doc),
                "```", ""]
    return "\n".join(out)


def read_verdicts(path: str) -> dict[str, tuple[str, str]]:
    verdicts = {}
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2 or parts[1].strip() not in VERDICTS:
                sys.exit(f"{path}:{number}: expected 'ID<TAB>true|noise|false<TAB>reason'")
            verdicts[parts[0].strip()] = (parts[1].strip(), parts[2].strip() if len(parts) > 2 else "")
    return verdicts


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def verdict_tables(findings: list[dict], sample: list[dict], verdicts: dict) -> str:
    missing = [f["id"] for f in sample if f["id"] not in verdicts]
    if missing:
        sys.exit(f"no verdict for {', '.join(missing)}")
    corpus_counts = collections.Counter((f["code"], f["severity"]) for f in findings)
    rows: dict[tuple, collections.Counter] = collections.defaultdict(collections.Counter)
    names = {}
    for finding in sample:
        key = (finding["code"], finding["severity"])
        names[finding["code"]] = finding["name"]
        rows[key]["sampled"] += 1
        rows[key][verdicts[finding["id"]][0]] += 1
    out = ["| rule | severity | findings in corpus | sampled | true | noise | false |",
           "|---|---|---:|---:|---:|---:|---:|"]
    total = collections.Counter()
    for key in sorted(corpus_counts):
        row = rows.get(key, collections.Counter())
        total.update(row)
        out.append(f"| {key[0]} {names.get(key[0], '')} | {key[1]} | {corpus_counts[key]} | "
                   f"{row['sampled']} | {row['true']} | {row['noise']} | {row['false']} |")
    out.append(f"| **total** | | {len(findings)} | {total['sampled']} | {total['true']} "
               f"({percent(total['true'], total['sampled'])}) | {total['noise']} "
               f"({percent(total['noise'], total['sampled'])}) | {total['false']} "
               f"({percent(total['false'], total['sampled'])}) |")
    weighted = collections.Counter()
    for key, row in rows.items():
        for verdict in VERDICTS:
            weighted[verdict] += corpus_counts[key] * row[verdict] / row["sampled"]
    whole = sum(weighted.values())
    out += ["", "Weighted by each stratum's share of the corpus's findings (an estimate for all "
            f"{len(findings)} findings): " + ", ".join(
                f"{verdict} {percent(weighted[verdict], whole)}" for verdict in VERDICTS) + ".",
            "", "| id | rule | sev | location | verdict | reason |", "|---|---|---|---|---|---|"]
    for finding in sample:
        verdict, reason = verdicts[finding["id"]]
        where = f"{finding['relpath']}:{finding.get('line')}"
        out.append(f"| {finding['id']} | {finding['code']} | {finding['severity'][0].upper()} | "
                   f"`{where}` | {verdict} | {reason.replace('|', '/')} |")
    return "\n".join(out)


def fail_share(args) -> str:
    threshold = SEVERITY_RANK[args.fail_on]
    explain = run_json(["explain", args.corpus, "-f", "json", "--no-config"])
    workloads = explain["workloads"]
    failing = 0
    by_rule = collections.Counter()
    only_rule = collections.Counter()
    for workload in workloads:
        codes = {f["code"] for f in workload.get("findings", [])
                 if SEVERITY_RANK.get(f["severity"], 0) >= threshold}
        if codes:
            failing += 1
            by_rule.update(codes)
            if len(codes) == 1:
                only_rule.update(codes)
    out = [f"Fail share at --fail-on {args.fail_on}: corpus {args.corpus}, podlint commit "
           f"{git_commit()}, Kubernetes {explain.get('kubernetes_version')}.", "",
           "Definition: the workloads are the entries of `podlint explain CORPUS -f json` "
           "(every pod-carrying object podlint models, one per object, default rules). A "
           f"workload fails when at least one finding attributed to it has severity {args.fail_on} "
           "or higher. Findings attributed to no workload (parse errors, schema or apiVersion "
           "findings on Services, RBAC, ...) are not counted.", "",
           f"**{failing} of {len(workloads)} workloads fail ({percent(failing, len(workloads))}).**",
           "", "| rule | workloads it makes fail | of which it is the only failing rule |",
           "|---|---:|---:|"]
    for code, count in sorted(by_rule.items(), key=lambda item: (-item[1], item[0])):
        out.append(f"| {code} | {count} ({percent(count, len(workloads))}) | {only_rule[code]} |")
    return "\n".join(out)


# --- --patterns: how many of the corpus's findings fall into the noise/false patterns of
# the hand review. Heuristics that read the manifests independently of podlint (so that a
# rule change cannot move its own yardstick); each count names its pattern in the output.

CONTROL_PLANE_COMPONENTS = {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd",
                            "kubelet", "kube-proxy"}


def load_objects(path: str) -> list[dict]:
    """Every mapping document of a file, `kind: List` items flattened; [] if it does not parse."""
    from ruamel.yaml import YAML
    objects: list[dict] = []
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            stack = list(YAML(typ="safe").load_all(handle))
    except Exception:  # noqa: BLE001 - a file podlint reports as PL001 simply has no objects here
        return objects
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            if item.get("kind") == "List" and isinstance(item.get("items"), list):
                stack[:0] = item["items"]
            else:
                objects.append(item)
    return objects


def pod_template(obj: dict) -> tuple[dict, dict]:
    """(pod spec, pod metadata) of a pod-carrying object, {} where absent."""
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    if obj.get("kind") == "Pod":
        metadata = obj.get("metadata")
        return spec, metadata if isinstance(metadata, dict) else {}
    if obj.get("kind") == "CronJob":
        job = spec.get("jobTemplate") if isinstance(spec.get("jobTemplate"), dict) else {}
        spec = job.get("spec") if isinstance(job.get("spec"), dict) else {}
    template = spec.get("template") if isinstance(spec.get("template"), dict) else {}
    pod_spec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    metadata = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    return pod_spec, metadata


def scope_key(path: str, corpus: str) -> tuple[str, str]:
    """(repository, folder) of a corpus file. The corpus flattens each repository's paths
    into one directory, joining folders with `__`: the original folder is the file name
    up to its last `__`."""
    rel = relative(path, corpus)
    head, _, name = rel.partition(os.sep)
    if not name:
        return "", os.path.dirname(rel)
    return head, name.rsplit("__", 1)[0] if "__" in name else ""


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def idle_container(container: dict) -> bool:
    words = " ".join(str(x) for x in as_list(container.get("command")) + as_list(container.get("args"))
                     if isinstance(x, (str, int)))
    image = str(container.get("image") or "")
    if re.search(r"\bsleep (infinity|inf|\d{4,})\b", words):
        return True
    if re.fullmatch(r"(/bin/)?sleep \S+", words.strip()) or words.strip() in ("tail -f /dev/null",):
        return True
    return not words and bool(re.search(r"(^|/)pause(:|@|$)|^scratch$", image))


def cluster_dump(obj: dict) -> bool:
    """An object read back from a cluster (`kubectl get -o yaml`): it carries `status`, or
    the API server's resourceVersion or uid. Nobody edits these by hand."""
    metadata = as_dict(obj.get("metadata"))
    return "status" in obj or "resourceVersion" in metadata or "uid" in metadata


# PL201/PL301 name every Service a finding rests on: `Service "front" (path:line)`.
NAMED_SERVICE = re.compile(r'Service "[^"]*" \(([^()]+?):\d+\)')


def finding_pattern(finding: dict, obj: dict | None, services: list, corpus: str) -> str:
    code, message = finding["code"], finding.get("message") or ""
    if obj is None:
        return "other"
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    pod_spec, pod_metadata = pod_template(obj)
    labels = pod_metadata.get("labels") if isinstance(pod_metadata.get("labels"), dict) else {}
    if (obj.get("kind") == "Pod" and metadata.get("namespace") == "kube-system"
            and (labels.get("tier") == "control-plane"
                 or labels.get("component") in CONTROL_PLANE_COMPONENTS)):
        return "control-plane static Pod (kube-system)"
    containers = [c for key in ("initContainers", "containers")
                  for c in as_list(pod_spec.get(key)) if isinstance(c, dict)]
    container = next((c for c in containers if c.get("name") == finding.get("container")), None)
    if container is not None and idle_container(container) and code in (
            "PL201", "PL202", "PL301", "PL304", "PL401"):
        return "idle container (sleep, pause, scratch)"
    if container is not None and not container.get("image") and code in ("PL202", "PL401"):
        return "container without image (a fragment: nothing runs)"
    if code == "PL304" and containers and all(idle_container(c) for c in containers):
        return "idle container (sleep, pause, scratch)"
    if code in ("PL202", "PL401") and cluster_dump(obj):
        return "cluster dump (status, resourceVersion or uid)"
    if code == "PL207" and finding["severity"] != "error":
        return ("numeric port declared by another container of the pod"
                if "declares it" in message else "numeric port not declared")
    if code == "PL204":
        numbers = re.search(r"timeoutSeconds (\d+) and periodSeconds (\d+)", message)
        if numbers:
            return ("timeout equal to period" if numbers.group(1) == numbers.group(2)
                    else "timeout above period")
    if code == "PL401" and container is not None and container.get("terminationMessagePolicy") == "File":
        return "explicit terminationMessagePolicy File (often a cluster dump)"
    if code in ("PL201", "PL301"):
        named = [path for path in NAMED_SERVICE.findall(message)]
        if named:
            # podlint names the Services it relates (since application scope); where the
            # closest one sits, in the corpus's original folders, shows what scope kept
            closest = min(service_level(path, finding["path"], corpus) for path in named)
            via = f"receives traffic from a Service named in the {SERVICE_LEVELS[closest]}"
        elif "selected by a Service" in message:  # the message of podlint before scope
            via = "selected by a Service"
        else:
            via = "declared port"
        return f"{via}; nearest matching Service: {nearest_service(finding, metadata, labels, services, corpus)}"
    return "other"


SERVICE_LEVELS = ["same file", "same folder", "same repository", "other repository", "none"]


def service_level(path: str, pod_path: str, corpus: str) -> int:
    """0 same file, 1 same original folder, 2 same repository, 3 another repository."""
    if os.path.abspath(path) == os.path.abspath(pod_path):
        return 0
    if scope_key(path, corpus) == scope_key(pod_path, corpus):
        return 1
    if scope_key(path, corpus)[0] == scope_key(pod_path, corpus)[0]:
        return 2
    return 3


def nearest_service(finding: dict, metadata: dict, labels: dict, services: list, corpus: str) -> str:
    namespace = metadata.get("namespace") or None
    best = len(SERVICE_LEVELS) - 1
    for path, service_namespace, selector in services:
        if (service_namespace or None) != namespace:
            continue
        if not all(labels.get(key) == value for key, value in selector.items()):
            continue
        best = min(best, service_level(path, finding["path"], corpus))
    return SERVICE_LEVELS[best]


def patterns(findings: list[dict], corpus: str) -> str:
    files = sorted({f["path"] for f in findings if f.get("path")})
    everything = sorted(str(p) for p in Path(corpus).rglob("*")
                        if p.is_file() and p.suffix.lower() in (".yaml", ".yml", ".json"))
    objects = {path: load_objects(path) for path in sorted(set(files) | set(everything))}
    services = []
    for path in sorted(objects):
        for obj in objects[path]:
            spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
            selector = spec.get("selector")
            if obj.get("kind") == "Service" and isinstance(selector, dict) and selector:
                metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
                services.append((path, metadata.get("namespace"), selector))
    counts: collections.Counter = collections.Counter()
    totals = collections.Counter(f["code"] for f in findings)
    for finding in findings:
        if finding["code"] not in ("PL201", "PL202", "PL204", "PL207", "PL301", "PL304", "PL401",
                                   "PL505"):
            continue
        kind, _, name = (finding.get("workload") or "").partition("/")
        obj = next((o for o in objects.get(finding["path"], [])
                    if o.get("kind") == kind and str(as_dict(o.get("metadata")).get("name")) == name),
                   None) if kind else None
        counts[(finding["code"], finding["severity"],
                finding_pattern(finding, obj, services, corpus))] += 1
    out = ["Findings by pattern (heuristics over the manifests, independent of podlint; the "
           "corpus flattens repository folders with `__`, so 'same folder' is the original "
           "folder). Service matching: same namespace (or both none), selector subset of the "
           "pod template's labels.", "",
           "| rule | severity | pattern | findings | of the rule's |", "|---|---|---|---:|---:|"]
    for (code, severity, pattern), count in sorted(counts.items()):
        out.append(f"| {code} | {severity} | {pattern} | {count} | {totals[code]} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent.parent
                                                / "shared" / "corpus"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", "--size", type=int, default=105)
    parser.add_argument("--min-per-rule", type=int, default=3)
    parser.add_argument("--opt-in", action="store_true", help="also run the opt-in rules")
    parser.add_argument("--context", type=int, default=25)
    parser.add_argument("--whole-doc", type=int, default=80,
                        help="show the whole YAML document when it has at most this many lines")
    parser.add_argument("--findings", help="reuse a `podlint lint -f json` output instead of running")
    parser.add_argument("--verdicts", help="TSV of verdicts: print the tables instead of the sample")
    parser.add_argument("--fail-share", action="store_true")
    parser.add_argument("--patterns", action="store_true",
                        help="count findings per noise/false pattern of the hand review")
    parser.add_argument("--fail-on", choices=sorted(SEVERITY_RANK), default="warning")
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    args = parser.parse_args(argv)
    if not os.path.exists(args.corpus):
        parser.error(f"no corpus at {args.corpus}")
    if args.fail_share:
        text = fail_share(args)
    else:
        if args.findings:
            with open(args.findings, encoding="utf-8") as handle:
                report = json.load(handle)
        else:
            report = run_json(lint_args(args.corpus, args.opt_in))
        findings = canonical(report["findings"], args.corpus)
        sample = draw(findings, args.size, args.seed, args.min_per_rule)
        if args.patterns:
            text = patterns(findings, args.corpus)
        elif args.verdicts:
            text = verdict_tables(findings, sample, read_verdicts(args.verdicts))
        else:
            counts = collections.Counter(f["code"] for f in findings)
            header = [f"# podlint precision sample, seed {args.seed}", "",
                      f"Corpus `{args.corpus}`, podlint {report.get('podlint_version')} commit "
                      f"{git_commit()}, {'default + opt-in' if args.opt_in else 'default'} rules: "
                      f"{len(findings)} findings, {len(sample)} sampled (at least "
                      f"{args.min_per_rule} per rule and severity, the rest in proportion).", "",
                      "Findings per rule: " + ", ".join(f"{c} {n}" for c, n in sorted(counts.items()))]
            text = sample_markdown(sample, header, args)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
