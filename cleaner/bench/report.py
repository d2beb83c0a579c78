"""A self-contained HTML page per corpus: each document's diff against its gold.

Removed residue, missed residue and wrongly removed content get distinct colours; hovering
a removed line shows the rule that removed it (its ``title`` attribute). No script, no
external file: the page can be attached to a review or opened from a CI artefact.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path

from cleaner.bench.harness import CorpusScore, DocScore, LineOutcome

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.1em;margin:0}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}
td:first-child,th:first-child{text-align:left}
details{border:1px solid #ddd;border-radius:4px;margin:.6em 0;padding:.4em .8em}
summary{cursor:pointer}.doc{font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap;margin-top:.5em}
.l{display:block;padding:0 .3em;border-left:4px solid transparent}
.residue-removed,.partial-removed .cut{background:#dcf5dc;border-left-color:#2e9d2e;text-decoration:line-through}
.residue-missed,.partial-missed{background:#ffe9c7;border-left-color:#e39b1b}
.content-removed{background:#ffd6d6;border-left-color:#d22;text-decoration:line-through}
.removed{background:#e6e6f5;border-left-color:#669;text-decoration:line-through}
.legend span{display:inline-block;margin-right:1em;padding:0 .4em}
.bad{color:#b00;font-weight:600}
"""

_LEGEND = (
    '<p class="legend"><span class="l residue-removed">removed residue</span>'
    '<span class="l residue-missed">missed residue</span>'
    '<span class="l content-removed">wrongly removed content</span>'
    '<span class="l removed">removed (no gold)</span> Hover a removed line for its rule.</p>'
)


def _title(outcome: LineOutcome, summaries: dict[str, str]) -> str:
    if outcome.rule is None:
        return ""
    summary = summaries.get(outcome.rule, "")
    return f' title="{escape(outcome.rule + (": " + summary if summary else ""))}"'


def _line(outcome: LineOutcome, summaries: dict[str, str]) -> str:
    title = _title(outcome, summaries)
    status = outcome.status if outcome.status not in ("content", "kept") else "kept"
    if outcome.cut is not None and status != "content-removed" and outcome.rule is not None:
        start, end = outcome.cut
        text = outcome.text
        body = (f'{escape(text[:start])}<span class="cut"{title}>{escape(text[start:end])}</span>'
                f"{escape(text[end:])}")
        return f'<span class="l {status}" data-line="{outcome.line}">{body}</span>'
    return f'<span class="l {status}" data-line="{outcome.line}"{title}>{escape(outcome.text)}</span>'


def _doc(doc: DocScore, summaries: dict[str, str]) -> str:
    facts = []
    if doc.removal is not None:
        facts.append(f"{doc.removal.removed_lines} lines removed")
    if doc.false_positives:
        facts.append(f'<span class="bad">{len(doc.false_positives)} wrongly removed</span>')
    if doc.missed:
        facts.append(f"{len(doc.missed)} residue missed")
    if doc.after.tokens is not None:
        facts.append(f"token F1 {doc.before.tokens.f1 if doc.before.tokens else 0:.3f} → {doc.after.tokens.f1:.3f}")
    if doc.after.exact:
        facts.append("exact")
    if doc.skipped:
        facts.append(escape(doc.skipped))
    opened = " open" if doc.false_positives or doc.missed else ""
    lines = "".join(_line(o, summaries) for o in doc.outcomes)
    site = f" ({escape(doc.site)})" if doc.site else ""
    return (f'<details id="doc-{escape(doc.id)}"{opened}><summary><h2 style="display:inline">{escape(doc.id)}{site}'
            f'</h2> — {", ".join(facts) or "nothing removed"}</summary><div class="doc">{lines}</div></details>')


def _metrics_table(score: CorpusScore) -> str:
    rows = "".join(f"<tr><td>{escape(k)}</td><td>{v:.4f}</td></tr>" for k, v in score.metrics().items())
    return f"<table><tr><th>metric (micro)</th><th>value</th></tr>{rows}</table>"


def _rules_table(score: CorpusScore) -> str:
    rows = "".join(
        f"<tr><td title=\"{escape(s.summary)}\">{escape(s.rule)}</td><td>{s.lines}</td>"
        f"<td>{s.false_positives}</td><td>{s.documents}</td></tr>"
        for s in score.rule_stats()
    )
    head = "<tr><th>rule</th><th>lines removed</th><th>false positives</th><th>documents</th></tr>"
    return f"<table>{head}{rows}</table>" if rows else ""


def render_report(score: CorpusScore) -> str:
    """The HTML page for one scored corpus."""
    name = escape(score.corpus.name)
    order = sorted(score.docs, key=lambda d: (-len(d.false_positives), -len(d.missed), d.id))
    docs = "\n".join(_doc(d, score.summaries) for d in order)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>cleaner bench: {name}</title>'
        f"<style>{_CSS}</style></head><body><h1>cleaner bench: {name}</h1>"
        f"<p>{len(score.docs)} documents from <code>{escape(str(score.corpus.path))}</code>, gold "
        f"{escape(score.gold_check)}. Documents with wrongly removed content come first.</p>"
        f"{_LEGEND}{_metrics_table(score)}{_rules_table(score)}\n{docs}\n</body></html>\n"
    )


def report_paths(scores: list[CorpusScore], path: Path) -> Iterator[tuple[CorpusScore, Path]]:
    """One page for one corpus at ``path``; with several, ``<stem>-<corpus><suffix>`` each."""
    if len(scores) == 1:
        yield scores[0], path
        return
    for score in scores:
        yield score, path.with_name(f"{path.stem}-{score.corpus.name}{path.suffix or '.html'}")


def write_reports(scores: list[CorpusScore], path: Path) -> list[Path]:
    """Write the report page(s); return where."""
    written = []
    for score, target in report_paths(scores, path):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_report(score), encoding="utf-8")
        written.append(target)
    return written
