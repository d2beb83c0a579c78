"""The command line's conventions for users (issue 16): messages, exit codes, outputs, summaries."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SEED = ROOT / "seeds" / "003_3b5fd862162eda80.txt"


def _without(module: str, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """``cleaner ARGS`` in a Python where importing ``module`` fails, as when it is not installed."""
    code = f"import sys; sys.modules[{module!r}] = None; from cleaner.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args], input=input, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize("module", ["trafilatura", "lxml_html_clean"])
def test_html_without_the_extra_names_it_and_exits_2(module: str, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Some text.</p></article></body></html>")
    done = _without(module, "clean", "--html", str(page))
    assert done.returncode == 2
    assert "pip install 'residue-cleaner[html]'" in done.stderr
    assert "Traceback" not in done.stderr


def cli(*args: str, input: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], input=input, capture_output=True, text=True, cwd=cwd, timeout=120
    )


SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLD = ROOT / "benchmarks" / "gold" / SEED.name


# --- item 10: --check, --diff --exit-code ---------------------------------------------------------------


def test_check_exits_1_when_something_would_be_removed_and_writes_no_text() -> None:
    done = cli("clean", "--check", str(SEED))
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"cleaner: would clean {SEED}:" in done.stderr


def test_check_exits_0_on_clean_text() -> None:
    done = cli("clean", "--check", input=GOLD.read_text(encoding="utf-8"))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_diff_exit_code_follows_git_diff() -> None:
    plain = cli("clean", "--diff", str(SEED))
    assert plain.returncode == 0 and plain.stdout.startswith("---")
    asked = cli("clean", "--diff", "--exit-code", str(SEED))
    assert asked.returncode == 1 and asked.stdout == plain.stdout
    clean_text = cli("clean", "--diff", "--exit-code", input=GOLD.read_text(encoding="utf-8"))
    assert (clean_text.returncode, clean_text.stdout) == (0, "")


def test_exit_code_alone_is_a_usage_error() -> None:
    done = cli("clean", "--exit-code", str(SEED))
    assert done.returncode == 2 and "--exit-code goes with --diff" in done.stderr


def test_help_and_readme_say_when_clean_exits_1() -> None:
    help_text = cli("clean", "--help").stdout
    assert "1  --check, or --diff with --exit-code" in help_text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`--check` and `--diff --exit-code` exit 1" in readme


# --- item 9: summary, --quiet, warning cap ----------------------------------------------------------------


RECORDS = "".join(f'{{"id": {n}, "body": "Title\\n\\nSome text."}}\n' for n in range(50))


def test_wrong_text_field_is_capped_counted_and_summarised() -> None:
    done = cli("clean", "--jsonl", input=RECORDS)
    assert done.returncode == 0
    assert done.stdout == RECORDS  # records in == records out
    lines = done.stderr.splitlines()
    assert len([line for line in lines if line.startswith("cleaner: warning:")]) == 20
    assert "cleaner: 30 more warning(s) not shown (--max-warnings 20)" in lines
    assert "cleaner: 50 record(s): 0 cleaned, 0 unchanged, 0 refused, 50 bad" in lines
    assert any("--text-field" in line and "hint" in line for line in lines)
    assert len(lines) == 23


def test_summary_counts_cleaned_and_unchanged() -> None:
    done = cli("clean", str(SEED), str(GOLD))
    assert done.stderr.splitlines() == ["cleaner: 2 document(s): 1 cleaned, 1 unchanged, 0 refused, 0 bad"]


def test_quiet_and_max_warnings() -> None:
    assert cli("clean", "--jsonl", "--quiet", input=RECORDS).stderr == ""
    lines = cli("clean", "--jsonl", "--max-warnings", "0", input=RECORDS).stderr.splitlines()
    assert lines[0] == "cleaner: 50 more warning(s) not shown (--max-warnings 0)"
    assert not any(line.startswith("cleaner: warning:") for line in lines)


def test_one_document_on_stdin_gets_no_summary() -> None:
    assert cli("clean", input=SEED.read_text(encoding="utf-8")).stderr == ""


# --- item 8: -o FILE, --output-dir DIR --------------------------------------------------------------------


def test_output_file_holds_what_stdout_would(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    to_stdout = cli("clean", *map(str, SEEDS))
    done = cli("clean", "-o", str(out), *map(str, SEEDS))
    assert done.returncode == 0 and done.stdout == ""
    assert out.read_text(encoding="utf-8") == to_stdout.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_output_dir_writes_one_file_per_input(tmp_path: Path, jobs: str) -> None:
    done = cli("clean", "-j", jobs, "--output-dir", str(tmp_path / "out"), *map(str, SEEDS))
    assert done.returncode == 0 and done.stdout == ""
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [seed.name for seed in SEEDS]
    for seed in SEEDS:
        alone = cli("clean", str(seed)).stdout
        assert (tmp_path / "out" / seed.name).read_text(encoding="utf-8") == alone


def test_output_dir_with_jsonl(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"text": "Title\\n\\nThe story.\\n\\nBack to top button"}\n')
    second.write_text('{"text": "Other\\n\\nNews."}\n{"text": "Weather\\n\\nRain today."}\n')
    done = cli("clean", "--jsonl", "--output-dir", str(tmp_path / "out"), str(first), str(second))
    assert done.returncode == 0
    assert (tmp_path / "out" / "a.jsonl").read_text() == '{"text": "Title\\n\\nThe story."}\n'
    assert (tmp_path / "out" / "b.jsonl").read_text() == second.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output-dir", "{tmp}/out", "-"], "standard input has no name"),
        (["--output-dir", "{tmp}/out", str(SEED), "{tmp}/" + SEED.name], "would both be written to"),
        (["-o", str(SEED), str(SEED)], "that is an input"),
        (["--output-dir", str(SEED.parent), str(SEED)], "would overwrite the input"),
        (["--check", "-o", "{tmp}/x", str(SEED)], "--check writes no output"),
    ],
)
def test_output_options_refuse_what_would_lose_data(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / SEED.name).write_text("x")
    before = SEED.read_bytes()
    done = cli("clean", *(arg.replace("{tmp}", str(tmp_path)) for arg in args), input="")
    assert done.returncode == 2
    assert message in done.stderr
    assert SEED.read_bytes() == before


# --- item 7: unknown --site, mine --site www. ---------------------------------------------------------------


def test_unknown_site_warns_with_the_closest_pack() -> None:
    done = cli("clean", "--site", "thehil.com", input=SEED.read_text(encoding="utf-8"))
    assert done.returncode == 0
    assert "cleaner: warning: no site pack for --site 'thehil.com'" in done.stderr
    assert "did you mean thehill.com?" in done.stderr
    explained = cli("explain", "--site", "thehil.com", str(SEED))
    assert "did you mean thehill.com?" in explained.stderr


def test_known_site_host_and_url_do_not_warn() -> None:
    for site in ("thehill.com", "www.thehill.com", "https://thehill.com/news/1"):
        assert "warning" not in cli("clean", "--site", site, input="Title\n\nText.\n").stderr


def test_mine_site_with_www_matches_www_hosts(tmp_path: Path) -> None:
    site = "lumen-tech.example"
    manifest = ROOT / "tests" / "fixtures" / "mine" / "manifest.jsonl"
    out = tmp_path / "sites"
    out.mkdir()
    done = cli("mine", str(manifest), "--site", f"www.{site}", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"{site}: 8 pages" in done.stderr
    assert [p.name for p in out.iterdir()] == [f"{site}.yaml"]


# --- item 11: machine-readable output, colour, no Python reprs, <stdin> ------------------------------------

TEASER = "Title\n\nThe council met on Tuesday.\n\nREAD ALSO:\xa0 Mayor opens library\n\nWork starts in May.\n"


def test_explain_format_json_gives_one_object_per_document() -> None:
    done = cli("clean", "--explain-format", "json", str(SEED), "-", input=TEASER)
    assert done.returncode == 0
    objects = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [o["input"] for o in objects] == [str(SEED), "<stdin>"]
    (teaser,) = objects[1]["removals"]
    assert teaser == {"rule": "common/read-also", "first_line": 5, "last_line": 5, "columns": None,
                      "text": "READ ALSO:\xa0 Mayor opens library", "why": None}
    assert objects[0]["site"] is None and len(objects[0]["removals"]) > 1


def test_explain_text_shows_text_not_python_reprs_and_names_stdin() -> None:
    lines = cli("clean", "--explain", input=TEASER).stderr.splitlines()
    assert lines[0] == "<stdin>: 1 removal(s), site: no site pack"
    assert lines[1] == "  <stdin>:5: common/read-also: READ ALSO:\xa0 Mayor opens library"


def test_stdin_is_labelled_in_warnings() -> None:
    assert cli("clean", "--jsonl", input="not json\n").stderr.startswith("cleaner: warning: <stdin>:1: not JSON")


def test_rules_list_json() -> None:
    done = cli("rules", "list", "--json")
    rows = json.loads(done.stdout)
    text_ids = [line.split()[0] for line in cli("rules", "list").stdout.splitlines()]
    assert [row["id"] for row in rows] == text_ids
    assert {"id", "pack", "kind", "status", "summary", "source"} == set(rows[0])


def _explain(*args: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")} | env
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "explain", *args, "-"], input=TEASER, capture_output=True, text=True,
        cwd=ROOT, timeout=120, env=environ,
    ).stdout


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ((), {}, False),  # a pipe
        (("--color", "always"), {}, True),  # explain | less -R
        ((), {"FORCE_COLOR": "1"}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the option wins over the environment
        ((), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_color_option_and_environment(args: tuple[str, ...], env: dict[str, str], coloured: bool) -> None:
    out = _explain(*args, **env)
    assert ("\x1b[" in out) is coloured
    assert "Mayor opens library" in out


# --- item 12 and [tool.cleaner]: the hooks check the project's rules; one config for CI and hooks ---------

BROKEN_RULE = "id: broken\nsummary: s\nkind: line\npattern: '(unclosed'\n"


def _hook_entries() -> dict[str, list[str]]:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook["entry"].split()[1:] for hook in hooks}


@pytest.mark.parametrize("hook", ["cleaner-rules-validate", "cleaner-rules-test"])
def test_hooks_without_args_fail_on_broken_rules_in_the_repository(hook: str, tmp_path: Path) -> None:
    (tmp_path / "rules" / "common").mkdir(parents=True)
    (tmp_path / "rules" / "common" / "broken.yaml").write_text(BROKEN_RULE)
    done = cli(*_hook_entries()[hook], cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "broken.yaml" in done.stderr


@pytest.mark.parametrize("hook", ["cleaner-rules-validate", "cleaner-rules-test"])
def test_hooks_without_args_or_rules_say_what_to_do(hook: str, tmp_path: Path) -> None:
    done = cli(*_hook_entries()[hook], cwd=tmp_path)
    assert done.returncode == 2
    assert "args: [my-rules/]" in done.stderr and "[tool.cleaner]" in done.stderr


def test_tool_cleaner_rules_are_read_by_clean_and_the_hooks(tmp_path: Path) -> None:
    (tmp_path / "my-rules" / "common").mkdir(parents=True)
    (tmp_path / "my-rules" / "common" / "zorblat.yaml").write_text(
        "id: zorblat\nsummary: s\nkind: line\npattern: '(?i)zorblat widget.*'\n"
        "examples: {match: ['Zorblat widget here'], no_match: ['Read on.']}\n"
    )
    text = "Title\n\nThe council met on Tuesday and voted.\n\nZorblat widget here\n\nWork starts in May.\n"
    assert "Zorblat" in cli("clean", input=text, cwd=tmp_path).stdout
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.cleaner]\nrules = ["my-rules"]\n')
    assert "Zorblat" not in cli("clean", input=text, cwd=tmp_path).stdout
    done = cli(*_hook_entries()["cleaner-rules-test"], cwd=tmp_path)
    assert done.returncode == 0 and "2 passed, 0 failed" in done.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\nrule = ["my-rules"]\n')
    done = cli("clean", input=text, cwd=tmp_path)
    assert done.returncode == 2 and "unknown key(s) rule" in done.stderr
