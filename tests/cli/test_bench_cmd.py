"""``cleaner bench`` end to end: tables, JSON, the gate, and exit codes 0/1/2."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.text.normalize import normalize_text

ROOT = Path(__file__).resolve().parents[2]
SEED = "004_13e83d3fd18cca86"  # a Times of India republication with a "Source link" line


def bench(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "bench", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False,
    )


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """The seeds corpus copied to tmp_path, so tests can edit gold files."""
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "benchmarks" / "gold", tmp_path / "bench" / "gold")
    shutil.copy(ROOT / "benchmarks" / "seeds.jsonl", tmp_path / "bench" / "seeds.jsonl")
    return tmp_path / "bench" / "seeds.jsonl"


def keep_line_in_gold(manifest: Path, seed: str, residue: str) -> None:
    """Edit the copy of a seed's gold to keep one residue line, where the input has it."""
    lines = normalize_text((manifest.parent.parent / "seeds" / f"{seed}.txt").read_text(encoding="utf-8")).split("\n")
    index = lines.index(residue)
    before = next(line for line in reversed(lines[:index]) if line)
    gold = manifest.parent / "gold" / f"{seed}.txt"
    text = gold.read_text(encoding="utf-8")
    assert before in text, "the line before the residue must be content the gold keeps"
    gold.write_text(text.replace(before, f"{before}\n\n{residue}", 1), encoding="utf-8")


def test_committed_seeds_pass_their_gate() -> None:
    result = bench("benchmarks/seeds.jsonl", "--baseline", "benchmarks/baseline.json")
    assert result.returncode == 0, result.stderr
    assert "exact matches" in result.stdout
    assert "1.0000 (5/5)" in result.stdout
    assert "gate passed" in result.stderr


def test_plain_tables_when_not_a_terminal(seeds_copy: Path) -> None:
    result = bench(seeds_copy)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "common/source-link" in result.stdout  # the per-rule table
    assert f"{SEED}  timesofindia.indiatimes.com" in result.stdout  # per document, detected site


def test_gold_keeping_a_residue_line_fails_the_gate_naming_document_and_rule(seeds_copy: Path) -> None:
    baseline = seeds_copy.parent / "baseline.json"
    assert bench(seeds_copy, "--baseline", baseline, "--update-baseline").returncode == 0
    keep_line_in_gold(seeds_copy, SEED, "Source link")
    result = bench(seeds_copy, "--baseline", baseline)
    assert result.returncode == 1
    assert "removal.line_precision" in result.stderr
    assert f"document {SEED} line" in result.stderr
    assert "rule common/source-link removed gold content 'Source link'" in result.stderr
    assert "corpus changed since it was pinned" in result.stderr


def test_min_removal_precision_threshold(seeds_copy: Path) -> None:
    assert bench(seeds_copy, "--min-removal-precision", "1.0").returncode == 0
    keep_line_in_gold(seeds_copy, SEED, "Source link")
    result = bench(seeds_copy, "--min-removal-precision", "1.0", "--min-token-f1", "0.5")
    assert result.returncode == 1
    # 34 of the 35 removed lines are residue now.
    assert "removal.line_precision 0.9714 is below --min-removal-precision 1.0" in result.stderr
    assert "common/source-link" in result.stderr


def test_update_refuses_to_lower_a_floor_without_allow_regression(seeds_copy: Path) -> None:
    baseline = seeds_copy.parent / "baseline.json"
    assert bench(seeds_copy, "--baseline", baseline, "--update-baseline").returncode == 0
    pinned = baseline.read_text(encoding="utf-8")
    keep_line_in_gold(seeds_copy, SEED, "Source link")

    refused = bench(seeds_copy, "--baseline", baseline, "--update-baseline")
    assert refused.returncode == 1
    assert "refusing to lower removal.line_precision from 1.0000 to 0.9714" in refused.stderr
    assert baseline.read_text(encoding="utf-8") == pinned  # nothing written

    allowed = bench(seeds_copy, "--baseline", baseline, "--update-baseline", "--allow-regression")
    assert allowed.returncode == 0, allowed.stderr
    floors = json.loads(baseline.read_text(encoding="utf-8"))["corpora"]["seeds.jsonl"]["floors"]
    assert floors["removal.line_precision"] == pytest.approx(34 / 35, abs=1e-6)
    assert bench(seeds_copy, "--baseline", baseline).returncode == 0


def test_update_raises_floors_and_pins_the_hash(seeds_copy: Path) -> None:
    baseline = seeds_copy.parent / "baseline.json"
    low = {"version": 1, "epsilon": 0.0005, "root": ".",
           "corpora": {"seeds.jsonl": {"hash": "sha256:old", "gold_check": "strict",
                                       "floors": {"removal.line_precision": 0.5, "tokens.output.f1": 0.9}}}}
    baseline.write_text(json.dumps(low), encoding="utf-8")
    checked = bench(seeds_copy, "--baseline", baseline)
    assert checked.returncode == 1
    assert "corpus changed since it was pinned" in checked.stderr
    updated = bench(seeds_copy, "--baseline", baseline, "--update-baseline")
    assert updated.returncode == 0, updated.stderr
    entry = json.loads(baseline.read_text(encoding="utf-8"))["corpora"]["seeds.jsonl"]
    assert entry["hash"].startswith("sha256:") and entry["hash"] != "sha256:old"
    assert entry["floors"]["removal.line_precision"] == 1.0
    assert entry["floors"]["tokens.output.f1"] == 1.0
    assert entry["floors"]["exact.output"] == 1.0


def test_json_output_schema(seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = bench(seeds_copy, "--json", out, "--min-token-f1", "0.9")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert data["gate"] == {"passed": True, "failures": [], "notes": []}
    (corpus,) = data["corpora"]
    assert corpus["name"] == "seeds" and corpus["documents"] == 5
    assert corpus["hash"].startswith("sha256:")
    assert corpus["metrics"]["removal.line_precision"] == 1.0
    assert corpus["metrics"]["exact.output"] == 1.0
    assert corpus["removal"]["removed_lines"] == corpus["removal"]["residue_lines"] == 35
    assert corpus["input"]["exact"] == {"matches": 0, "documents": 5}
    assert corpus["output"]["tokens"]["f1"] == 1.0
    assert {r["rule"] for r in corpus["rules"]} >= {"common/source-link", "common/read-also"}
    assert all(set(r) == {"rule", "summary", "lines", "false_positives", "snippets_lost", "documents"}
               for r in corpus["rules"])
    doc = next(d for d in corpus["per_document"] if d["id"] == SEED)
    assert doc["site"] == "timesofindia.indiatimes.com"
    assert doc["output"]["exact"] is True and doc["input"]["exact"] is False
    assert doc["false_positives"] == [] and doc["missed"] == []
    assert "timesofindia.indiatimes.com" in corpus["sites"]


def test_json_to_stdout_prints_no_table(seeds_copy: Path) -> None:
    result = bench(seeds_copy, "--json", "-")
    assert json.loads(result.stdout)["corpora"][0]["documents"] == 5


def test_explain_lists_false_positives(seeds_copy: Path) -> None:
    keep_line_in_gold(seeds_copy, SEED, "Source link")
    result = bench(seeds_copy, "--explain")
    assert result.returncode == 0
    assert f"seeds:{SEED}:" in result.stdout
    assert "false positive by common/source-link: 'Source link'" in result.stdout


def test_gold_that_is_not_a_deletion_exits_2_with_document_and_line(seeds_copy: Path) -> None:
    gold = seeds_copy.parent / "gold" / f"{SEED}.txt"
    lines = gold.read_text(encoding="utf-8").split("\n")
    lines[4] = lines[4] + " (added by a careless editor)"
    gold.write_text("\n".join(lines), encoding="utf-8")
    result = bench(seeds_copy)
    assert result.returncode == 2
    assert f"{gold}:5:1: B101 {SEED}: gold line not found in the input" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "input": "missing.txt"}', "B003 a: cannot read"),
        ('{"id": "a", "input": ', "B002 not JSON"),
        ('{"input": "x.txt"}', 'B003 missing "id"'),
        ('{"id": "a", "input": "in.txt", "snippets": {"with": "nope"}}', 'B003 "snippets.with" must be a list'),
    ],
)
def test_broken_manifest_exits_2(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "in.txt").write_text("Some text.", encoding="utf-8")
    manifest = tmp_path / "m.jsonl"
    manifest.write_text(line + "\n", encoding="utf-8")
    result = bench(manifest)
    assert result.returncode == 2
    assert f"{manifest}:1:" in result.stderr
    assert message in result.stderr


def test_invalid_rules_exit_2(seeds_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "rules" / "common").mkdir(parents=True)
    (tmp_path / "rules" / "common" / "bad.yaml").write_text("id: bad\nkind: nonsense\n", encoding="utf-8")
    result = bench(seeds_copy, "--rules", tmp_path / "rules")
    assert result.returncode == 2
    assert "bad.yaml" in result.stderr


def test_snippet_only_corpus(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nThe story goes on.\n\nREAD ALSO: Other story\n", encoding="utf-8")
    (tmp_path / "a.snippets.json").write_text(
        json.dumps({"with": ["The story goes on."], "without": ["READ ALSO: Other story", "Impressum"]}),
        encoding="utf-8",
    )
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "a", "input": "a.txt", "snippets": "a.snippets.json"}) + "\n",
                        encoding="utf-8")
    out = tmp_path / "r.json"
    result = bench(manifest, "--json", out)
    assert result.returncode == 0, result.stderr
    corpus = json.loads(out.read_text(encoding="utf-8"))["corpora"][0]
    assert corpus["name"] == tmp_path.name
    assert corpus["removal"] is None and corpus["output"]["tokens"] is None
    # Before cleaning "Impressum" was already absent (1 of 2); the cleaner removes READ ALSO too.
    assert corpus["input"]["snippets"]["without_removed"] == 0.5
    assert corpus["output"]["snippets"]["without_removed"] == 1.0
    assert corpus["output"]["snippets"]["with_kept"] == 1.0
    assert re.search(r"'without' snippets removed +0\.5000 \(1/2\) +1\.0000 \(2/2\)", result.stdout)


def test_gold_check_defaults_to_what_the_baseline_pinned(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("It\u2019s the story.\n\nSource link\n", encoding="utf-8")
    (tmp_path / "a.gold.txt").write_text("It's the story.\n", encoding="utf-8")  # retyped: not a deletion
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text(json.dumps({"id": "a", "input": "a.txt", "gold": "a.gold.txt"}) + "\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert bench(manifest).returncode == 2  # strict by default
    assert bench(manifest, "--gold-check", "loose", "--baseline", baseline, "--update-baseline").returncode == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["corpora"]["manifest.jsonl"]["gold_check"] == "loose"
    result = bench(manifest, "--baseline", baseline)
    assert result.returncode == 0, result.stderr
    assert "gold loose" in result.stdout
    mismatch = bench(manifest, "--baseline", baseline, "--gold-check", "strict")
    assert mismatch.returncode == 2  # the retyped gold is not a deletion


ARTICLE = " ".join(
    f"Paragraph {n} of the report explains, in plain words, how the council spent the budget this year."
    for n in range(1, 4)
)


def html_corpus(tmp_path: Path, html_only: str = "") -> Path:
    """One record with text, gold and a page; ``html_only`` is a paragraph only the page holds."""
    paragraphs = "".join(f"<p>{ARTICLE} Part {n}.</p>" for n in range(1, 6))
    page = (
        "<html><head><title>Council budget</title></head><body><article><h1>Council budget</h1>"
        f"{paragraphs}<p>READ ALSO: Mayor opens new bridge</p>{html_only}<p>{ARTICLE} The end.</p>"
        "</article></body></html>"
    )
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(page.encode("utf-8")))
    body = "\n".join(f"{ARTICLE} Part {n}." for n in range(1, 6))
    (tmp_path / "a.txt").write_text(f"Council budget\n{body}\nREAD ALSO: Mayor opens new bridge\n{ARTICLE} The end.\n",
                                    encoding="utf-8")
    (tmp_path / "a.gold.txt").write_text(f"Council budget\n{body}\n{ARTICLE} The end.\n", encoding="utf-8")
    manifest = tmp_path / "manifest.jsonl"
    record = {"id": "a", "input": "a.txt", "gold": "a.gold.txt", "html": "a.html.gz", "url": "https://example.org/a"}
    manifest.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return manifest


def test_html_path_scores_trafilatura_alone_and_with_the_cleaner(tmp_path: Path) -> None:
    manifest = html_corpus(tmp_path)
    out = tmp_path / "r.json"
    result = bench(manifest, "--html", "--json", out)
    assert result.returncode == 0, result.stderr
    assert "trafilatura + cleaner" in result.stdout
    corpus = json.loads(out.read_text(encoding="utf-8"))["corpora"][0]
    alone, cleaned = corpus["html"]["trafilatura"], corpus["html"]["trafilatura_cleaner"]
    assert corpus["html"]["errors"] == 0
    # trafilatura keeps the READ ALSO paragraph (4 tokens the gold lacks); the cleaner removes it.
    assert alone["tokens"]["precision"] < 1.0
    assert cleaned["tokens"]["precision"] == 1.0
    assert cleaned["tokens"]["recall"] == alone["tokens"]["recall"]
    # The HTML figures are reported, never pinned: the gate runs the text path.
    assert "tokens.html_output.f1" in corpus["metrics"]


def test_html_path_reports_removal_figures_as_the_text_path_does(tmp_path: Path) -> None:
    # The page holds a second teaser the text input lacks: the HTML path removes 2 lines, the text path 1.
    manifest = html_corpus(tmp_path, html_only="<p>READ ALSO: Library hours extended</p>")
    out = tmp_path / "r.json"
    result = bench(manifest, "--html", "--json", out)
    assert result.returncode == 0, result.stderr
    rows = {line.split("  ")[0]: line.split()[-6:] for line in result.stdout.splitlines() if line.startswith("removal")}
    # Columns: no cleaning, cleaner, trafilatura alone, trafilatura + cleaner.
    assert rows["removal precision, lines"] == ["—", "1.0000", "(1/1)", "—", "1.0000", "(2/2)"]
    assert rows["removal recall, chars"] == ["—", "1.0000", "(33/33)", "—", "1.0000", "(66/66)"]
    tables = result.stdout.split("\n\n")
    (html_rules,) = [t for t in tables if ": rules on trafilatura's text (" in t.split("\n")[0]]
    assert re.search(r"^common/read-also +2 +0 +1 ", html_rules, re.MULTILINE)
    corpus = json.loads(out.read_text(encoding="utf-8"))["corpora"][0]
    assert corpus["removal"]["removed_lines"] == 1
    html = corpus["html"]
    assert (html["removal"]["removed_lines"], html["removal"]["residue_lines"]) == (2, 2)
    assert [(r["rule"], r["lines"], r["documents"]) for r in html["rules"]] == [("common/read-also", 2, 1)]
    assert corpus["metrics"]["removal.html_output.line_recall"] == 1.0
    (doc,) = corpus["per_document"]
    assert doc["html"]["removal"]["removed_lines"] == 2 and doc["html"]["rules"] == {"common/read-also": 2}
