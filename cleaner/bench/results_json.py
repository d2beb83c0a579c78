"""Benchmark results as plain JSON data (what ``cleaner bench --json`` writes)."""

from __future__ import annotations

from typing import Any

from cleaner.bench.harness import CorpusScore, DocScore, Scores
from cleaner.bench.metrics import RemovalCounts, SnippetCounts, TokenCounts
from cleaner.core.version import __version__

SCHEMA_VERSION = 1


def _r(value: float) -> float:
    return round(value, 6)


def tokens_json(counts: TokenCounts | None) -> dict[str, Any] | None:
    if counts is None:
        return None
    return {
        "precision": _r(counts.precision), "recall": _r(counts.recall), "f1": _r(counts.f1),
        "overlap": counts.overlap, "output_tokens": counts.output, "gold_tokens": counts.gold,
    }


def removal_json(counts: RemovalCounts | None) -> dict[str, Any] | None:
    if counts is None:
        return None
    return {
        "line_precision": _r(counts.line_precision), "line_recall": _r(counts.line_recall),
        "char_precision": _r(counts.char_precision), "char_recall": _r(counts.char_recall),
        "residue_lines": counts.residue_lines, "removed_lines": counts.removed_lines,
        "removed_residue_lines": counts.removed_residue_lines, "residue_chars": counts.residue_chars,
        "removed_chars": counts.removed_chars, "removed_residue_chars": counts.removed_residue_chars,
    }


def snippets_json(counts: SnippetCounts | None) -> dict[str, Any] | None:
    if counts is None:
        return None
    return {
        "with_kept": _r(counts.with_kept_share), "without_removed": _r(counts.without_removed_share),
        "with_total": counts.with_total, "with_kept_count": counts.with_kept,
        "without_total": counts.without_total, "without_removed_count": counts.without_removed,
    }


def _scores_json(scores: Scores | None) -> dict[str, Any] | None:
    if scores is None:
        return None
    return {"tokens": tokens_json(scores.tokens), "exact": scores.exact, "snippets": snippets_json(scores.snippets)}


def _doc_json(doc: DocScore) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": doc.id, "site": doc.site,
        "removal": removal_json(doc.removal),
        "input": _scores_json(doc.before), "output": _scores_json(doc.after),
        "rules": dict(doc.rule_lines),
        "false_positives": [{"line": f.line, "rule": f.rule, "text": f.text} for f in doc.false_positives],
        "missed": [{"line": line, "text": text} for line, text in doc.missed],
        "snippets_lost": [{"snippet": t, "rule": r} for t, r in doc.snippets_lost],
        "snippets_removed": [{"snippet": t, "rule": r} for t, r in doc.snippets_removed],
        "gold_coverage": None if doc.coverage is None else _r(doc.coverage),
        "skipped": doc.skipped,
    }
    if doc.html is not None or doc.html_error is not None:
        out["html"] = {
            "trafilatura": _scores_json(doc.html_before), "trafilatura_cleaner": _scores_json(doc.html_after),
            "removal": removal_json(doc.html.removal if doc.html else None),
            "rules": dict(doc.html.rule_lines if doc.html else ()),
            "error": doc.html_error,
        }
    return out


def _side(score: CorpusScore, side: str) -> dict[str, Any] | None:
    tokens, exact, snippets = score.tokens(side), score.exact(side), score.snippets(side)
    if tokens is None and exact is None and snippets is None:
        return None
    macro = score.macro_token_f1(side)
    return {
        "tokens": tokens_json(tokens),
        "token_f1_per_document_mean": None if macro is None else _r(macro),
        "exact": None if exact is None else {"matches": exact[0], "documents": exact[1]},
        "snippets": snippets_json(snippets),
    }


def corpus_json(score: CorpusScore) -> dict[str, Any]:
    """One corpus's results: micro figures, per rule, per site, per document."""
    sites = {}
    for site, docs in sorted(score.sites().items()):
        part = CorpusScore(score.corpus, docs, score.gold_check)
        sites[site] = {
            "documents": len(docs), "removal": removal_json(part.removal),
            "output_tokens": tokens_json(part.tokens("after")),
        }
    coverage = [d.coverage for d in score.docs if d.coverage is not None]
    html = score.html_part()
    return {
        "name": score.corpus.name,
        "manifest": str(score.corpus.path),
        "hash": score.corpus.hash,
        "documents": len(score.docs),
        "gold_check": score.gold_check,
        "seconds": round(score.seconds, 3),
        "html_seconds": None if score.html_seconds is None else round(score.html_seconds, 3),
        "metrics": {name: _r(value) for name, value in score.metrics().items()},
        "removal": removal_json(score.removal),
        "input": _side(score, "before"),
        "output": _side(score, "after"),
        "html": None if html is None else {
            "trafilatura": _side(score, "html_before"),
            "trafilatura_cleaner": _side(score, "html_after"),
            "removal": removal_json(html.removal),
            "rules": _rules_json(html),
            "errors": sum(d.html_error is not None for d in score.docs),
        },
        "refused_by_guard": sum(d.skipped is not None for d in score.docs),
        "gold_coverage_below_half": sum(c < 0.5 for c in coverage),
        "rules": _rules_json(score),
        "sites": sites,
        "per_document": [_doc_json(d) for d in score.docs],
    }


def _rules_json(score: CorpusScore) -> list[dict[str, Any]]:
    return [
        {"rule": s.rule, "summary": s.summary, "lines": s.lines, "false_positives": s.false_positives,
         "snippets_lost": s.snippets_lost, "documents": s.documents}
        for s in score.rule_stats()
    ]


def results_json(scores: list[CorpusScore], gate: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole run: every corpus, and the gate's verdict when a baseline was given."""
    return {
        "schema": SCHEMA_VERSION, "cleaner": __version__,
        "corpora": [corpus_json(s) for s in scores],
        "gate": gate,
    }
