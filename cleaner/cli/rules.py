"""``cleaner rules list|validate|test|docs``: the rules as a product that is linted and tested."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleaner.core.diagnostics import T301
from cleaner.rules.loader import builtin_rules_dir, load_dirs

HELP = "list, validate, test and document rules"
EPILOG = """\
examples:
  cleaner rules list                    every built-in rule with its kind and summary
  cleaner rules validate my-rules/      check a rules directory: path:line:col diagnostics
  cleaner rules test                    run every built-in rule's match/no_match/cases examples
  cleaner rules test my-rules/ -k read  only rules whose id contains "read"
  cleaner rules docs -o docs/rules.md   generate the rule reference from the YAML

With DIR arguments only those directories are read (with --builtin, the built-ins too).
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
    ):
        action = actions.add_parser(name, help=help_text, description=help_text, epilog=EPILOG,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
        action.add_argument("dirs", nargs="*", type=Path, metavar="DIR", help="rules directories (default: built-in)")
        action.add_argument("--builtin", action="store_true", help="include the built-in rules with DIRs")
        action.set_defaults(run=run)
        if name == "test":
            action.add_argument("-k", metavar="TEXT", default="", help="only rules whose qualified id contains TEXT")
        if name == "docs":
            action.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
            action.add_argument("--check", action="store_true", help="exit 1 if --output is not up to date")


def _dirs(args: argparse.Namespace) -> list[Path]:
    if not args.dirs:
        return [builtin_rules_dir()]
    return ([builtin_rules_dir()] if args.builtin else []) + list(args.dirs)


def _print_diagnostics(diagnostics: object) -> None:
    for diagnostic in diagnostics:  # type: ignore[attr-defined]
        print(diagnostic.format(), file=sys.stderr)


def _list(args: argparse.Namespace) -> int:
    loaded = load_dirs(_dirs(args))
    _print_diagnostics(loaded.diagnostics)
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
    print(f"{len(loaded.rules)} rules in {files} files: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return 2 if errors else 0


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
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _docs(args: argparse.Namespace) -> int:
    # Imported here: only `rules docs` needs the doc renderer.
    from cleaner.rules.docs import render_docs

    loaded = load_dirs(_dirs(args))
    _print_diagnostics(loaded.diagnostics)
    if loaded.errors:
        return 2
    text = render_docs(loaded)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date; run: cleaner rules docs -o {args.output}", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    return 0
