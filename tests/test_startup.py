"""Start-up stays small: which modules a command imports (timings live in benchmarks/perf.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Run a command in a fresh interpreter; print the module names it imported on stderr's last line.
_PROBE = """\
import json, sys
from cleaner.cli.app import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""
# Never needed to clean text: scoring, mining, reports, rich tables, HTML extraction.
_NEVER = {
    "cleaner.bench.harness", "cleaner.bench.baseline", "cleaner.bench.metrics", "cleaner.bench.gold",
    "cleaner.bench.manifest", "cleaner.mine.miner", "cleaner.text.lineshape", "cleaner.bench.report",
    "cleaner.rules.docs", "cleaner.engine.testing", "cleaner.mine.pack",
    "cleaner.cli.bench_view", "rich", "trafilatura", "lxml",
}
# Only needed to read rule files: a warm start reads the rules cache instead.
_RULE_READING = {"yaml", "cleaner.rules.schema", "cleaner.rules.yamlsource"}


def _imported(args: list[str], cache: Path, stdin: str = "") -> tuple[str, set[str]]:
    env = {**os.environ, "CLEANER_CACHE_DIR": str(cache)}
    env.pop("CLEANER_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(done.stderr.splitlines()[-1]))


def test_clean_imports_no_heavy_module_and_warm_reads_no_yaml(tmp_path: Path) -> None:
    text = "Title\n\nA plain ASCII story of a few words.\n\nSource link\n"
    out, cold = _imported(["clean"], tmp_path / "cache", text)
    assert out == "Title\n\nA plain ASCII story of a few words.\n"
    assert not cold & _NEVER, sorted(cold & _NEVER)
    assert cold >= _RULE_READING  # the first run read the YAML and filled the cache
    out, warm = _imported(["clean"], tmp_path / "cache", text)
    assert out == "Title\n\nA plain ASCII story of a few words.\n"
    assert not warm & (_NEVER | _RULE_READING | {"ftfy"}), sorted(warm & (_NEVER | _RULE_READING | {"ftfy"}))


def test_the_engine_imports_without_regex() -> None:
    # ``regex`` (~13 ms) is loaded with the first pattern compiled, not with the modules.
    modules = "cleaner.engine.cleaner, cleaner.engine.ruleset, cleaner.kinds, cleaner.kinds.run, " \
        "cleaner.engine.prefilter, cleaner.text.normalize, cleaner.engine.sites, cleaner.io.inputs, " \
        "cleaner.match.lazy, cleaner.cli.clean"
    probe = f"import sys, {modules}; print('regex' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr


@pytest.mark.parametrize("args", [["--help"], ["clean", "--help"], ["rules", "--help"], ["bench", "--help"]])
def test_help_builds_every_parser_without_the_engine(tmp_path: Path, args: list[str]) -> None:
    out, modules = _imported(args, tmp_path / "cache")
    assert "usage: cleaner" in out
    engine = {"cleaner.engine.cleaner", "cleaner.engine.ruleset", "cleaner.kinds", "cleaner.kinds.base"}
    heavy = modules & (_NEVER | _RULE_READING | engine)
    assert not heavy, sorted(heavy)


def test_a_command_built_alone_parses_and_helps_as_in_the_full_parser() -> None:
    from cleaner.cli.app import build_parser

    full = build_parser()
    choices = full._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(choices) == {"clean", "rules", "mine", "bench", "explain"}
    for name, complete in choices.items():
        alone = build_parser([name])
        assert alone.format_help() == full.format_help()  # the command list is unchanged
        built = alone._subparsers._group_actions[0].choices[name]  # type: ignore[union-attr]
        assert built.format_help() == complete.format_help()
    args = build_parser(["clean", "--jsonl"]).parse_args(["clean", "--jsonl", "in.jsonl"])
    assert args.jsonl and args.files == ["in.jsonl"] and callable(args.run)


@pytest.mark.parametrize("columns", [None, "50", "200", "0", "-3", "wide"])
def test_help_width_is_what_argparse_would_take(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    import shutil

    from cleaner.cli.app import _columns

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _columns() == shutil.get_terminal_size().columns
