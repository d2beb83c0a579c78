"""Measure the rules on the shared corpora and list the residue families they leave.

Usage: ``python benchmarks/residue_study.py [--corpora ../shared/corpora] [--preview]
[--removed] [--fp] [--residue N] [--json OUT]``

For tiptopjaw (gold text): every removed line is classed as *in gold* (a false-positive
candidate: its whitespace-normalised text occurs in the whitespace-normalised gold) or not;
token precision / recall / F1 of the input and of the output against the gold are reported.
For trafilatura-eval (snippets): ``with`` snippets lost and ``without`` snippets removed.
``--residue N`` lists the N most frequent short lines / line shapes that survive cleaning
and are not in the gold, to find residue families that recur across sites.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from cleaner import Cleaner
from cleaner.core.model import Config

# Curly quotes, no-break spaces and dashes the gold writers often straightened.
QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-", "\u2014": "-"}
)
TOKEN_RE = regex.compile(r"\w+")


def norm(text: str) -> str:
    """Whitespace-, quote- and case-normalised text, for "does this line occur in gold"."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return " ".join(text.split()).casefold()


LIST_MARKER_RE = regex.compile(r"^(?:[-*•#|>]+\s*|\d{1,3}[.)]\s+)")


def line_key(line: str) -> str:
    """A line as compared with gold lines: normalised, list and table markers dropped."""
    return LIST_MARKER_RE.sub("", norm(line)).strip(" |")


def in_gold_line(line: str, gold_norm: str, gold_lines: set[str]) -> bool:
    """Whether a removed line is gold content.

    Short lines are compared with whole gold lines: "-" or "More" occur inside any gold
    text, so a substring test would call them content. Lines of four words or more count
    when they occur anywhere in the gold (which re-wraps and re-formats lists).
    """
    key = line_key(line)
    if not key:
        return False
    if key in gold_lines:
        return True
    return len(key.split()) >= 4 and key in gold_norm


def load_discounts(path: Path | None) -> dict[str, list[tuple[str, str]]]:
    """Read gold errors a person checked: ``id<TAB>line prefix<TAB>reason`` ("*" = whole doc)."""
    out: dict[str, list[tuple[str, str]]] = {}
    if path is None or not path.exists():
        return out
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        doc, prefix, reason = [*raw.split("\t"), "", ""][:3]
        out.setdefault(doc, []).append((norm(prefix), reason))
    return out


def discounted(doc: str, line: str, discounts: dict[str, list[tuple[str, str]]]) -> bool:
    return any(prefix == "*" or norm(line).startswith(prefix) for prefix, _ in discounts.get(doc, []))


def tokens(text: str) -> Counter[str]:
    return Counter(TOKEN_RE.findall(norm(text)))


def prf(output: str, gold: str) -> tuple[int, int, int]:
    """(overlap, output tokens, gold tokens) of bag-of-words matching."""
    out, ref = tokens(output), tokens(gold)
    return sum((out & ref).values()), sum(out.values()), sum(ref.values())


def shape(line: str) -> str:
    """A line's shape: digits -> 0, long words kept, so near-identical residue groups together."""
    return regex.sub(r"\d+", "0", line.strip())[:60]


@dataclass
class Totals:
    """Micro-averaged counts over one corpus."""

    docs: int = 0
    skipped: int = 0
    removed_chars: int = 0
    removed_in_gold_chars: int = 0
    removed_lines: int = 0
    removed_in_gold_lines: int = 0
    substring_in_gold_lines: int = 0
    discounted_lines: int = 0
    discounted_chars: int = 0
    tok_in: list[int] = field(default_factory=lambda: [0, 0, 0])
    tok_out: list[int] = field(default_factory=lambda: [0, 0, 0])
    with_total: int = 0
    with_lost: int = 0
    without_total: int = 0
    without_present_in: int = 0
    without_removed: int = 0
    per_rule: Counter[str] = field(default_factory=Counter)
    per_rule_fp: Counter[str] = field(default_factory=Counter)


def load(manifest: Path) -> Iterator[dict[str, object]]:
    with manifest.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def snippet_in(snippet: str, text: str) -> bool:
    return norm(snippet) in norm(text)


def study(cleaner: Cleaner, root: Path, args: argparse.Namespace) -> dict[str, object]:
    report: dict[str, object] = {}
    for manifest in sorted(root.glob("*/manifest.jsonl")):
        corpus = manifest.parent.name
        discounts = load_discounts(args.discounts / f"{corpus}.tsv" if args.discounts else None)
        totals = Totals()
        residue: Counter[str] = Counter()
        residue_docs: dict[str, set[str]] = {}
        for record in load(manifest):
            raw = (manifest.parent / str(record["input"])).read_text(encoding="utf-8", errors="replace")
            url = record.get("url")
            result = cleaner.clean_and_explain(raw, url=url if isinstance(url, str) else None)
            totals.docs += 1
            if result.skipped:
                totals.skipped += 1
                print(f"SKIPPED {corpus}/{record['id']}: {result.skipped}", file=sys.stderr)
            gold_path = record.get("gold")
            gold = (manifest.parent / str(gold_path)).read_text(encoding="utf-8") if gold_path else None
            gold_norm = norm(gold) if gold else ""
            gold_counts = Counter(line_key(g) for g in gold.split("\n")) if gold else Counter()
            gold_lines = set(gold_counts)
            out_counts = Counter(line_key(o) for o in result.text.split("\n"))
            for removal in result.removals:
                totals.per_rule[removal.rule] += 1
                for line in removal.text.split("\n"):
                    if not line.strip():
                        continue
                    in_gold = bool(gold) and in_gold_line(line, gold_norm, gold_lines)
                    # A repeated line the gold holds once (a title printed twice) is not lost
                    # when the output still holds it as often as the gold does.
                    key = line_key(line)
                    if in_gold and key in gold_counts and out_counts[key] >= gold_counts[key]:
                        in_gold = False
                    if gold:
                        totals.removed_lines += 1
                        totals.removed_chars += len(line)
                        totals.substring_in_gold_lines += norm(line) in gold_norm
                        if in_gold and discounted(str(record["id"]), line, discounts):
                            totals.discounted_lines += 1
                            totals.discounted_chars += len(line)
                            in_gold = False
                            if args.fp:
                                print(f"DISCOUNTED {corpus}/{record['id']} {removal.rule}: {line[:160]!r}")
                        if in_gold:
                            totals.removed_in_gold_lines += 1
                            totals.removed_in_gold_chars += len(line)
                            totals.per_rule_fp[removal.rule] += 1
                    if args.fp and in_gold:
                        print(f"FP {corpus}/{record['id']} {removal.rule}: {line[:160]!r}")
                    if args.removed:
                        print(f"RM {corpus}/{record['id']} {removal.rule}: {line[:160]!r}")
            if gold:
                for k, v in enumerate(prf(raw, gold)):
                    totals.tok_in[k] += v
                for k, v in enumerate(prf(result.text, gold)):
                    totals.tok_out[k] += v
            snippets_path = record.get("snippets")
            if snippets_path and (manifest.parent / str(snippets_path)).exists():
                snippets = json.loads((manifest.parent / str(snippets_path)).read_text(encoding="utf-8"))
                for s in snippets.get("with", []):
                    if snippet_in(s, raw):
                        totals.with_total += 1
                        if not snippet_in(s, result.text):
                            totals.with_lost += 1
                            if args.fp:
                                print(f"LOST {corpus}/{record['id']}: {s[:160]!r}")
                for s in snippets.get("without", []):
                    totals.without_total += 1
                    if snippet_in(s, raw):
                        totals.without_present_in += 1
                        if not snippet_in(s, result.text):
                            totals.without_removed += 1
            if args.residue:
                for line in result.text.split("\n"):
                    stripped = line.strip()
                    if not stripped or len(stripped) > 80:
                        continue
                    if gold and norm(stripped) in gold_norm:
                        continue
                    key = shape(stripped)
                    residue[key] += 1
                    residue_docs.setdefault(key, set()).add(str(record["id"]))
        report[corpus] = summarise(totals)
        if args.residue:
            # Only shapes seen in several documents: a family recurs across pages.
            common = [(k, c) for k, c in residue.most_common() if len(residue_docs[k]) >= 3][: args.residue]
            report[corpus + ":residue"] = common
    return report


def ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def summarise(t: Totals) -> dict[str, object]:
    out: dict[str, object] = {"docs": t.docs, "skipped": t.skipped}
    if t.removed_lines or t.tok_in[2]:
        out["removed_lines"] = t.removed_lines
        out["removed_lines_in_gold"] = t.removed_in_gold_lines
        out["removed_lines_substring_of_gold"] = t.substring_in_gold_lines
        out["removal_precision_lines_substring"] = ratio(t.removed_lines - t.substring_in_gold_lines, t.removed_lines)
        out["discounted_gold_errors_lines"] = t.discounted_lines
        raw_fp = t.removed_in_gold_lines + t.discounted_lines
        out["removal_precision_lines_raw"] = ratio(t.removed_lines - raw_fp, t.removed_lines)
        out["removal_precision_lines"] = ratio(t.removed_lines - t.removed_in_gold_lines, t.removed_lines)
        raw_fp_chars = t.removed_in_gold_chars + t.discounted_chars
        out["removal_precision_chars_raw"] = ratio(t.removed_chars - raw_fp_chars, t.removed_chars)
        out["removal_precision_chars"] = ratio(t.removed_chars - t.removed_in_gold_chars, t.removed_chars)
        for name, (ov, n_out, n_gold) in (("input", t.tok_in), ("output", t.tok_out)):
            p, r = ratio(ov, n_out), ratio(ov, n_gold)
            out[f"{name}_token_p_r_f1"] = (p, r, f1(p, r))
    kept = t.with_total - t.with_lost
    out["with_kept"] = f"{kept}/{t.with_total} = {ratio(kept, t.with_total)}"
    out["without_removed"] = f"{t.without_removed}/{t.without_present_in} present in input"
    out["per_rule"] = dict(t.per_rule.most_common())
    out["per_rule_in_gold"] = dict(t.per_rule_fp.most_common())
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="../shared/corpora", type=Path)
    parser.add_argument("--preview", action="store_true", help="also run status: preview rules")
    parser.add_argument("--fp", action="store_true", help="print removed lines found in gold and lost snippets")
    parser.add_argument("--removed", action="store_true", help="print every removed line")
    parser.add_argument("--residue", type=int, default=0, metavar="N", help="list N recurring residue shapes")
    parser.add_argument("--json", type=Path, help="write the report here")
    parser.add_argument(
        "--discounts", type=Path, default=Path(__file__).parent / "gold-errors",
        help="folder of <corpus>.tsv files listing checked gold errors (default: benchmarks/gold-errors)",
    )
    args = parser.parse_args()
    if not args.corpora.is_dir():
        print(f"no corpora at {args.corpora}", file=sys.stderr)
        return 2
    cleaner = Cleaner.default(Config(preview=args.preview))
    report = study(cleaner, args.corpora, args)
    text = json.dumps(report, indent=1, ensure_ascii=False)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
