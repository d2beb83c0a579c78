"""``cleaner rules list|validate|test|docs``: the rules as a product that is linted and tested."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cleaner.cli.common import project_rules, writing
from cleaner.core.diagnostics import T301
from cleaner.core.errors import InputError, RuleError
from cleaner.rules.loader import builtin_rules_dir, load_dirs

if TYPE_CHECKING:
    from cleaner.rules.signals import EvidenceModel

HELP = "list, validate, test and document rules"
EPILOG = """\
examples:
  cleaner rules list                    every built-in rule with its kind and summary
  cleaner rules list --json             the same as a JSON array (id, pack, kind, status, summary, source)
  cleaner rules validate my-rules/      check a rules directory: path:line:col diagnostics
  cleaner rules test                    run every built-in rule's match/no_match/cases examples
  cleaner rules test my-rules/ -k read  only rules whose id contains "read"
  cleaner rules docs -o docs/rules.md   generate the rule reference from the YAML
  cleaner rules docs --signals -o docs/signals.md   the signal reference (weighed evidence)
  cleaner rules fit fit.jsonl --check check.jsonl --write
                                        fit the signals' weights and the threshold on labelled
                                        documents (see README, "Weighed evidence")
  cleaner rules schema -o docs/rules.schema.json   the JSON Schema of rule files, for editors

With DIR arguments only those directories are read (with --builtin, the built-ins too);
without, the directories of [tool.cleaner] rules in ./pyproject.toml, else the built-ins.
exit codes: 0 ok, 1 a failing example (test) or a stale docs file (docs --check), 2 invalid rules.
"""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "rules", help=HELP, description="Work with rule files.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text, run in (
        ("list", "list rules: qualified id, kind, status, summary", _list),
        ("validate", "check rule files; print path:line:col diagnostics", _validate),
        ("test", "run every rule's examples", _test),
        ("docs", "write the rule reference (Markdown) generated from the YAML", _docs),
        ("schema", "write the JSON Schema of rule files (for editors: yaml-language-server)", _schema),
    ):
        action = actions.add_parser(name, help=help_text, description=help_text, epilog=EPILOG,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
        action.add_argument("dirs", nargs="*", type=Path, metavar="DIR", help="rules directories (default: built-in)")
        action.add_argument("--builtin", action="store_true", help="include the built-in rules with DIRs")
        action.add_argument(
            "--project", action="store_true",
            help="no DIR: the project's rules ([tool.cleaner] rules, else ./rules/), never the built-ins; "
            "exit 2 if there are none (what the pre-commit hooks run)",
        )
        action.set_defaults(run=run)
        if name == "list":
            action.add_argument("--json", action="store_true", help="a JSON array of the rules, for scripts")
        if name == "test":
            action.add_argument("-k", metavar="TEXT", default="", help="only rules whose qualified id contains TEXT")
        if name in ("docs", "schema"):
            action.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
            action.add_argument("--check", action="store_true", help="exit 1 if --output is not up to date")
        if name == "docs":
            action.add_argument("--signals", action="store_true", help="the signal reference (signals/, evidence.yaml)")
    fit = actions.add_parser(
        "fit", help="fit the signals' weights and the threshold on labelled documents",
        description=FIT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fit.add_argument("manifest", type=Path, help="fit manifest: input texts and their residue line numbers")
    fit.add_argument("--check", type=Path, help="held-out manifest (other sites) to report on")
    fit.add_argument("--rules", type=Path, default=None, help="rules directory with signals/ (default: built-in)")
    fit.add_argument("--content-kept", type=float, default=0.999, help="content words kept target (default 0.999)")
    fit.add_argument("--precision", type=float, default=0.95, help="line precision target (default 0.95)")
    fit.add_argument("--write", action="store_true", help="rewrite the weight: lines and evidence.yaml")
    fit.add_argument(
        "--learn", type=Path, default=None, metavar="CRAWL",
        help="the JSONL crawl (.gz too) the documents come from: learn it first and fit the site facts "
        "(recurrence) too, as `cleaner clean --learn --evidence` will use them",
    )
    fit.set_defaults(run=_fit)


FIT_HELP = """\
Fit the weighed evidence: one weight per signal, the bias and the threshold, on documents
labelled by hand. A manifest line names an `input` text and its `residue` line numbers (of
text.split("\\n")), as benchmarks/labels/news-crawl/materialize.py writes them. Same labels,
same weights (fixed seed and order). The threshold is the lowest that meets --content-kept and
--precision in two-fold cross-validation by site. Prints the figures (fit, and --check) and
each signal's hits on residue and content lines; --write rewrites the files for review.
--learn CRAWL learns the crawl the documents come from first, so that the recurrence facts
(site-recurs ...) are fitted too, as `cleaner clean --learn --evidence` uses them.
"""


def _dirs(args: argparse.Namespace) -> list[Path]:
    dirs = list(args.dirs) or project_rules() or []
    if not dirs and args.project:
        if not (Path("rules") / "common").is_dir() and not (Path("rules") / "sites").is_dir():
            raise InputError(
                "--project: no rules directory here: name it (pre-commit: args: [my-rules/]), add "
                '[tool.cleaner] rules = ["my-rules"] to pyproject.toml, or keep rules in ./rules/'
            )
        dirs = [Path("rules")]
    if not dirs:
        return [builtin_rules_dir()]
    return ([builtin_rules_dir()] if args.builtin else []) + dirs


def _print_diagnostics(diagnostics: object) -> None:
    for diagnostic in diagnostics:  # type: ignore[attr-defined]
        print(diagnostic.format(), file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    loaded = load_dirs(_dirs(args))
    _print_diagnostics(loaded.diagnostics)
    if args.json:
        rows = [
            {"id": rule.qualified_id, "pack": rule.pack, "kind": rule.kind, "status": rule.status,
             "summary": rule.summary, "source": str(rule.source)}
            for rule in loaded.rules
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 2 if loaded.errors else 0
    for rule in loaded.rules:
        status = "" if rule.status == "stable" else f" [{rule.status}]"
        print(f"{rule.qualified_id:<45} {rule.kind:<7}{status} {rule.summary}")
    return 2 if loaded.errors else 0


def _validate(args: argparse.Namespace) -> int:
    loaded = load_dirs(_dirs(args))
    _print_diagnostics(loaded.diagnostics)
    errors = len(loaded.errors)
    warnings = len(loaded.diagnostics) - errors
    files = len({r.source for r in loaded.rules})
    model, code = _evidence(args)
    signals = f"; {len(model.signals)} signals (bias {model.bias:g}, threshold {model.threshold:g})" if model else ""
    summary = f"{len(loaded.rules)} rules in {files} files: {errors} error(s), {warnings} warning(s)"
    print(summary + signals, file=sys.stderr)
    return 2 if errors or code else 0


def _test(args: argparse.Namespace) -> int:
    loaded = load_dirs(_dirs(args))
    _print_diagnostics(loaded.diagnostics)
    if loaded.errors:
        return 2
    # Imported here: only `rules test` needs the engine; list, validate and docs start without it.
    from cleaner.engine.ruleset import RuleSet
    from cleaner.engine.testing import run_examples

    rules = RuleSet(loaded, preview=True)
    passed = failed = 0
    for rule in loaded.rules:
        if args.k not in rule.qualified_id:
            continue
        for result in run_examples(rules, rule):
            if result.passed:
                passed += 1
                continue
            failed += 1
            print(f"{rule.source}:{rule.line}:1: {T301} {rule.qualified_id} {result.kind} example failed: "
                  f"{result.example!r}\n  {result.detail}", file=sys.stderr)
    model, code = _evidence(args)
    if code:
        return code
    if model is not None:
        # Here: start-up time, as above.
        from cleaner.rules.signals import example_failures

        bad = [f for f in example_failures(model) if args.k in f[0].qualified_id]
        for signal, kind, example in bad:
            print(f"{signal.source}:1:1: {T301} {signal.qualified_id} {kind} example failed: {example!r}",
                  file=sys.stderr)
        checked = sum(len(s.match_examples) + len(s.no_match_examples) for s in model.signals
                      if s.pattern is not None and args.k in s.qualified_id)
        passed += checked - len(bad)
        failed += len(bad)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _evidence(args: argparse.Namespace) -> tuple[EvidenceModel | None, int]:
    """The evidence model of the directories, or None with exit code 2 after its diagnostics."""
    # Imported here: start-up time: only the rules commands read signal files.
    from cleaner.rules.signals import load_evidence

    try:
        return load_evidence(_dirs(args)), 0
    except RuleError as error:
        _print_diagnostics(error.diagnostics)
        return None, 2


def _fit(args: argparse.Namespace) -> int:
    # Imported here: start-up time: only this command needs the fit.
    from cleaner.bench.fit import run_fit

    if args.learn is not None and not args.learn.is_file():
        print(f"cleaner: error: {args.learn}: no such crawl; give the JSONL records (text, url) the "
              "labelled documents come from", file=sys.stderr)
        return 2
    for manifest in (args.manifest, args.check):
        if manifest is not None and not manifest.is_file():
            print(f"cleaner: error: {manifest}: no such manifest; build one with "
                  "benchmarks/labels/news-crawl/materialize.py, or give your own", file=sys.stderr)
            return 2
    try:
        return run_fit(
            args.manifest, args.check, args.rules, args.content_kept, args.precision, write=args.write, crawl=args.learn
        )
    except (OSError, ValueError, KeyError) as exc:
        print(f"cleaner: error: cannot fit on {args.manifest}: {exc}; each line needs 'input' (a text "
              "file beside the manifest) and 'residue' (its residue line numbers)", file=sys.stderr)
        return 2


def _docs(args: argparse.Namespace) -> int:
    # Imported here: only `rules docs` needs the doc renderer.
    from cleaner.rules.docs import render_docs
    from cleaner.rules.signal_docs import render_signals

    loaded = load_dirs(_dirs(args))
    _print_diagnostics(loaded.diagnostics)
    if loaded.errors:
        return 2
    if args.signals:
        model, code = _evidence(args)
        if model is None:
            print("no evidence.yaml in these directories" if code == 0 else "invalid signal files", file=sys.stderr)
            return 2
        text = render_signals(model)
    else:
        text = render_docs(loaded)
    return _write_generated(text, args, f"cleaner rules docs{' --signals' if args.signals else ''}")


def _schema(args: argparse.Namespace) -> int:
    # Imported here: only this action builds the schema.
    from cleaner.rules.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    return _write_generated(text, args, "cleaner rules schema")


def _write_generated(text: str, args: argparse.Namespace, command: str) -> int:
    """Write generated ``text`` to stdout or ``--output``; with ``--check``, exit 1 if that file differs."""
    if args.output is None:
        sys.stdout.write(text)
        return 0
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run: {command} -o {args.output}", file=sys.stderr)
            return 1
        return 0
    with writing(args.output):
        args.output.write_text(text, encoding="utf-8")
    return 0
