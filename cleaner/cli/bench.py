"""``cleaner bench``: score rules on corpora with gold, and gate on pinned floors."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner.cli.common import add_color_option, add_rule_options, cleaner_from_args, color_wanted, writing
from cleaner.core.errors import MissingExtraError, install_hint

# Scoring, the gate and the tables are imported where used: `cleaner clean` and every
# `--help` build this parser and must not pay for them (start-up time).
if TYPE_CHECKING:
    from cleaner.bench.baseline import GateOutcome
    from cleaner.bench.gold import GoldCheck
    from cleaner.bench.harness import CorpusScore
    from cleaner.bench.manifest import Corpus

HELP = "score the rules on corpora with gold; gate on pinned floors"
EPILOG = """\
examples:
  cleaner bench benchmarks/seeds.jsonl                     tables: removal P/R, token P/R/F1, per rule
  cleaner bench benchmarks/seeds.jsonl --baseline benchmarks/baseline.json     the CI gate
  cleaner bench my/manifest.jsonl --rules my-rules/ --explain    list every false positive by rule
  cleaner bench corpus/manifest.jsonl --gold-check loose --html --json out.json
  cleaner bench ../shared/corpora/tiptopjaw/manifest.jsonl --baseline benchmarks/baseline.json
  cleaner bench benchmarks/seeds.jsonl --report report.html      a page with each document's diff

A manifest has one JSON record a line: {"id", "input", "gold", "url", "site", "html",
"snippets": {"with": [...], "without": [...]}} with paths relative to the manifest; only
id and input are required. Records without gold are scored on their snippets only.

exit codes: 0 ok; 1 a metric below its floor or threshold, a corpus changed since it was
pinned or not pinned at all (unless --allow-unpinned), or a floor --update-baseline refused
to lower; 2 a broken manifest (missing file, bad JSON, gold that is not a deletion of the
input) or invalid rules.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "bench", help=HELP, description=HELP, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("manifests", nargs="+", type=Path, metavar="MANIFEST", help="manifest.jsonl files")
    parser.add_argument(
        "--gold-check", choices=("strict", "loose"),
        help="strict: gold must be a deletion of the input; loose: gold was retyped, align it by folding "
             "(default: as pinned in --baseline, else strict)",
    )
    parser.add_argument("--html", action="store_true",
                        help="also extract records' html with trafilatura; score trafilatura alone and + cleaner")
    out = parser.add_argument_group("output")
    out.add_argument("--json", type=Path, metavar="OUT", help="write results as JSON to OUT (- for stdout)")
    out.add_argument("--json-corpus-only", action="store_true",
                     help="leave per-document results (and their text) out of --json: for committed results")
    out.add_argument("--explain", action="store_true", help="list every false positive and missed residue line")
    out.add_argument("--report", type=Path, metavar="HTML", help="write a self-contained HTML diff page per corpus")
    out.add_argument(
        "--gold-errors", type=Path, metavar="DIR",
        help="with --report: <corpus>.tsv files of checked gold errors (id, line prefix, reason), shown as such "
        "rather than as lost content (e.g. benchmarks/gold-errors)",
    )
    gate = parser.add_argument_group("gate")
    gate.add_argument("--baseline", type=Path, metavar="B", help="baseline.json with pinned floors to compare with")
    gate.add_argument("--update-baseline", action="store_true", help="raise the floors in --baseline to these figures")
    gate.add_argument("--allow-regression", action="store_true", help="let --update-baseline lower a floor")
    gate.add_argument(
        "--allow-unpinned", action="store_true",
        help="score a corpus --baseline has no floors for without failing (default: it fails the gate)",
    )
    gate.add_argument("--min-removal-precision", type=float, metavar="P",
                      help="fail when line-level removal precision of a corpus is below P")
    gate.add_argument("--min-token-f1", type=float, metavar="F", help="fail when a corpus's output token F1 is below F")
    add_color_option(parser)
    add_rule_options(parser)
    parser.set_defaults(run=run)


def _gold_checks(args: argparse.Namespace) -> list[GoldCheck]:
    """Each manifest's gold check: the option, else what the baseline pinned it with, else strict."""
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.bench.baseline import load_baseline, pinned_entry

    if args.gold_check is not None:
        return [args.gold_check] * len(args.manifests)
    baseline: dict[str, Any] | None = None
    if args.baseline is not None and args.baseline.exists():
        baseline = load_baseline(args.baseline)
    checks: list[GoldCheck] = []
    for path in args.manifests:
        # Found the way the gate finds it, so the mode and the floors always come from one entry.
        entry = pinned_entry(baseline, path, args.baseline)[1] if baseline is not None else None
        checks.append("loose" if isinstance(entry, dict) and entry.get("gold_check") == "loose" else "strict")
    return checks


def _load(paths: list[Path], checks: list[GoldCheck]) -> list[Corpus] | None:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.bench.harness import gold_violations
    from cleaner.bench.manifest import load_manifest

    corpora, broken = [], False
    for path, gold_check in zip(paths, checks, strict=True):
        corpus, diagnostics = load_manifest(path)
        for diagnostic in diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        broken = broken or bool(diagnostics) or corpus is None
        if corpus is not None:
            for diagnostic in gold_violations(corpus, gold_check):
                print(diagnostic.format(), file=sys.stderr)
                broken = True
            corpora.append(corpus)
    return None if broken else corpora


def _thresholds(scores: list[CorpusScore], args: argparse.Namespace) -> list[str]:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.bench.baseline import culprits

    failures = []
    for score in scores:
        metrics = score.metrics()
        for option, metric in (("min_removal_precision", "removal.line_precision"),
                               ("min_token_f1", "tokens.output.f1")):
            floor = getattr(args, option)
            value = metrics.get(metric)
            if floor is not None and value is not None and value < floor:
                detail = "\n  ".join(culprits(score, metric))
                failures.append(f"{score.corpus.path}: {metric} {value:.4f} is below --{option.replace('_', '-')} "
                                f"{floor}" + (f"\n  {detail}" if detail else ""))
    return failures


def _gate(scores: list[CorpusScore], args: argparse.Namespace) -> GateOutcome:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.bench.baseline import GateOutcome, check, load_baseline, save_baseline, update

    if args.baseline is None:
        if args.update_baseline:
            print("cleaner: --update-baseline needs --baseline FILE", file=sys.stderr)
            raise SystemExit(2)
        return GateOutcome()
    if args.update_baseline:
        baseline = load_baseline(args.baseline, missing_ok=True)
        outcome = update(scores, baseline, args.baseline, allow_regression=args.allow_regression)
        if not outcome.failures and outcome.baseline is not None:
            with writing(args.baseline):
                save_baseline(args.baseline, outcome.baseline)
            outcome.notes.append(f"baseline written to {args.baseline}")
        return outcome
    return check(scores, load_baseline(args.baseline), args.baseline, allow_unpinned=args.allow_unpinned)


def run(args: argparse.Namespace) -> int:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.bench.harness import score_corpus
    from cleaner.cli.bench_view import (
        documents_table,
        explain_lines,
        render,
        rules_table,
        signals_table,
        sites_table,
        summary_table,
    )

    if args.report is not None and importlib.util.find_spec("jinja2") is None:
        raise MissingExtraError(f"--report needs Jinja2; install it with {install_hint('report')}")
    cleaner = cleaner_from_args(args)
    checks = _gold_checks(args)
    corpora = _load(args.manifests, checks)
    if corpora is None:
        print("cleaner: bench: broken manifest or gold (see above); nothing scored", file=sys.stderr)
        return 2
    scores = [
        score_corpus(c, cleaner, gold_check=mode, html=args.html) for c, mode in zip(corpora, checks, strict=True)
    ]
    to_stdout = args.json is not None and str(args.json) == "-"
    per_corpus = []
    for score in scores:
        html = score.html_part()
        html_rules = rules_table(html, "trafilatura's text") if html is not None else None
        per_corpus.append([t for t in (summary_table(score), rules_table(score), signals_table(score), html_rules,
                                       sites_table(score)) if t is not None])
    if not to_stdout:
        tables = []
        for score, corpus_tables in zip(scores, per_corpus, strict=True):
            documents = documents_table(score, args.explain)
            tables += corpus_tables + ([documents] if documents is not None else [])
        render(tables, color=color_wanted(args.color, sys.stdout))
        if args.explain:
            for score in scores:
                for line in explain_lines(score):
                    print(line)
    outcome = _gate(scores, args)
    outcome.failures = _thresholds(scores, args) + outcome.failures
    if args.report is not None:
        # Imported here: only this command needs it; `cleaner clean` and --help start without it.
        from cleaner.bench.report import write_reports

        with writing(args.report):
            written = write_reports(scores, args.report, per_corpus, args.gold_errors)
        for path in written:
            print(f"cleaner: report written to {path}", file=sys.stderr)
    if args.json is not None:
        _write_json(scores, outcome, args)
    for note in outcome.notes:
        print(f"cleaner: {note}", file=sys.stderr)
    for failure in outcome.failures:
        print(f"cleaner: FAIL {failure}", file=sys.stderr)
    if outcome.failures:
        return 1
    if args.baseline is not None and not args.update_baseline:
        print(f"cleaner: gate passed ({len(scores)} corpus/corpora against {args.baseline})", file=sys.stderr)
    return 0


def _write_json(scores: list[CorpusScore], outcome: GateOutcome, args: argparse.Namespace) -> None:
    # Imported here: only this command needs it; `cleaner clean` and --help start without it.
    from cleaner.bench.results_json import results_json

    gate: dict[str, Any] | None = None
    if args.baseline is not None or args.min_removal_precision is not None or args.min_token_f1 is not None:
        gate = {"passed": not outcome.failures, "failures": outcome.failures, "notes": outcome.notes}
    data = results_json(scores, gate)
    if args.json_corpus_only:
        for corpus in data["corpora"]:
            del corpus["per_document"]
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if str(args.json) == "-":
        sys.stdout.write(text)
    else:
        with writing(args.json):
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(text, encoding="utf-8")
