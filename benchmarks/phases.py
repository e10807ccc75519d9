"""Where the CPU time of a lint run goes, phase by phase and rule by rule.

Wall clock is useless on a shared machine; this script measures CPU time
(`time.process_time`) of each stage of `podlint lint --jobs 1` in one process:

- floor: ruamel.yaml's C safe loader parsing the same files (the ratio's base);
- load: read + decode + compose (C) + construct (round-trip) + guards;
- every rule's `check`, summed over the run (PL003 is the schema validation),
  and PL003 split by (apiVersion, kind) with a per-document cost;
- engine: the rest of lint_loaded (workloads, pod model, annotate, suppressions);
- settle + sort: the cross-file conditions and the final ordering;
- gc: time spent in the cyclic garbage collector (inside the phases above),
  with the CLI's collector thresholds unless --default-gc.

Usage:
    python benchmarks/phases.py --corpus ../shared/corpus [--top 15]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import replace


def floor_cpu(corpus: str) -> float:
    from ruamel.yaml import YAML

    y = YAML(typ="safe")
    start = time.process_time()
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith((".yaml", ".yml", ".json")):
                continue
            try:
                with open(os.path.join(root, name), encoding="utf-8") as handle:
                    for _ in y.load_all(handle.read()):
                        pass
            except Exception:
                pass
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep CPython's collector thresholds (700, 10, 10)")
    args = parser.parse_args()

    import gc

    from podlint.cli import GC_THRESHOLDS

    if not args.default_gc:
        gc.set_threshold(*GC_THRESHOLDS)
    gc_spent = [0.0, 0.0]

    def gc_clock(phase, info):
        if phase == "start":
            gc_spent[1] = time.process_time()
        else:
            gc_spent[0] += time.process_time() - gc_spent[1]

    from podlint.config import Settings
    from podlint.crossfile import Summary, settle
    from podlint.engine import lint_loaded
    from podlint.filter import RulePlan
    from podlint.loader import discover, load_parts
    from podlint.registry import all_rules
    from podlint.run import finding_sort_key

    floor = None if args.no_floor else floor_cpu(args.corpus)

    rule_cpu: dict[str, float] = defaultdict(float)
    kind_cpu: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    clock = time.process_time

    def timed_check(spec):
        original = spec.check

        def check(ctx):
            start = clock()
            try:
                return list(original(ctx) or ())
            finally:
                spent = clock() - start
                rule_cpu[spec.code] += spent
                if spec.code == "PL003":
                    data = ctx.data
                    key = (f"{data.get('apiVersion')} {data.get('kind')}"
                           if isinstance(data, dict) else type(data).__name__)
                    kind_cpu[key][0] += spent
                    kind_cpu[key][1] += 1
        return check

    settings = Settings()
    plan = RulePlan.build(settings, all_rules())
    plan = replace(plan, rules=tuple(replace(s, check=timed_check(s)) if s.check else s
                                     for s in plan.rules))

    gc.callbacks.append(gc_clock)
    t0 = clock()
    sources = discover([args.corpus])
    t_discover = clock() - t0
    t_load = t_lint = 0.0
    summary = Summary()
    findings = []
    documents = 0
    for source in sources:
        parts = load_parts(source, settings.max_file_size)     # as run.lint_source reads a file
        while True:
            start = clock()
            loaded = next(parts, None)
            middle = clock()
            if loaded is None:
                t_load += middle - start
                break
            result = lint_loaded(loaded, settings, plan)
            end = clock()
            t_load += middle - start
            t_lint += end - middle
            documents += result.documents
            summary.merge(result.summary)
            findings.extend(result.findings)
    start = clock()
    findings = sorted(settle(findings, summary), key=finding_sort_key)
    t_settle = clock() - start
    total = clock() - t0
    rules_total = sum(rule_cpu.values())

    def row(name, seconds, extra=""):
        share = 100 * seconds / total if total else 0
        print(f"| {name} | {seconds:.2f} | {share:.0f}% | {extra} |")

    print(f"{len(sources)} files, {documents} documents, {len(findings)} findings\n")
    print("| phase | CPU s | share | note |\n|---|---|---|---|")
    if floor is not None:
        print(f"| (floor: C safe_load of the same files) | {floor:.2f} | | "
              f"total = {total / floor:.2f}x the floor |")
        row("load (read, compose, construct, guards)", t_load, f"{t_load / floor:.2f}x the floor")
    else:
        row("load (read, compose, construct, guards)", t_load)
    row("discover", t_discover)
    row("rules (all checks)", rules_total)
    row("engine (workloads, model, filter)", t_lint - rules_total)
    row("settle + sort", t_settle)
    row("total", total)
    row("(of which gc)", gc_spent[0], "thresholds " + str(gc.get_threshold()))
    print("\n| rule | CPU s |\n|---|---|")
    for code, seconds in sorted(rule_cpu.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"| {code} | {seconds:.3f} |")
    print("\n| PL003 by apiVersion/kind | documents | CPU s | ms per document |\n|---|---|---|---|")
    for key, (seconds, count) in sorted(kind_cpu.items(), key=lambda kv: -kv[1][0])[: args.top]:
        print(f"| {key} | {count} | {seconds:.3f} | {1000 * seconds / count:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
