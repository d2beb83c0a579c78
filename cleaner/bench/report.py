"""A self-contained HTML page per corpus: the bench summary, then each document's changes.

Rendered from the Jinja2 template ``cleaner/templates/report.html.j2`` (the ``report`` extra):
the same tables as the terminal view first (metrics with and without cleaning, per rule, per
site), then every document collapsed, worst first, with a filter. Each document shows its
removed, missed and wrongly removed lines with their line numbers and the rule that removed
them, and two kept lines of context around them; longer runs of kept lines are folded. No
external file: the page can be attached to a review or opened from a CI artefact.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from cleaner.bench.harness import CorpusScore, DocScore, LineOutcome

CONTEXT = 2
"""Kept lines shown around each change; longer runs of kept lines are folded."""

_KEPT = ("content", "kept")


class TableLike(Protocol):
    """A titled grid of strings, as ``cleaner bench`` prints it (columns in ``left`` left-aligned)."""

    @property
    def title(self) -> str: ...
    @property
    def headers(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> tuple[tuple[str, ...], ...]: ...
    @property
    def left(self) -> tuple[int, ...]: ...


def _line(outcome: LineOutcome) -> dict[str, Any]:
    status = "kept" if outcome.status in _KEPT else outcome.status
    item: dict[str, Any] = {"gap": 0, "line": outcome.line, "status": status, "text": outcome.text,
                            "rule": outcome.rule, "cut": None}
    if outcome.cut is not None and status != "content-removed" and outcome.rule is not None:
        start, end = outcome.cut
        item.update(before=outcome.text[:start], cut=outcome.text[start:end], after=outcome.text[end:])
    return item


def _lines(outcomes: Sequence[LineOutcome]) -> list[dict[str, Any]]:
    """Changed lines with CONTEXT kept lines around them; a run of other kept lines becomes a gap."""
    changed = [k for k, o in enumerate(outcomes) if o.status not in _KEPT]
    near = {j for k in changed for j in range(k - CONTEXT, k + CONTEXT + 1)}
    items: list[dict[str, Any]] = []
    gap = 0
    for k, outcome in enumerate(outcomes):
        if k not in near:
            gap += 1
            continue
        if gap:
            items.append({"gap": gap})
            gap = 0
        items.append(_line(outcome))
    if gap:
        items.append({"gap": gap})
    return items


def _doc(doc: DocScore) -> dict[str, Any]:
    facts: list[dict[str, Any]] = []
    if doc.removal is not None:
        facts.append({"text": f"{doc.removal.removed_lines} lines removed"})
    if doc.false_positives:
        facts.append({"text": f"{len(doc.false_positives)} wrongly removed", "bad": True})
    if doc.missed:
        facts.append({"text": f"{len(doc.missed)} residue missed"})
    if doc.after.tokens is not None:
        before = doc.before.tokens.f1 if doc.before.tokens else 0
        facts.append({"text": f"token F1 {before:.3f} → {doc.after.tokens.f1:.3f}"})
    if doc.after.exact:
        facts.append({"text": "exact", "bad": False})
    if doc.skipped:
        facts.append({"text": doc.skipped, "bad": False})
    if not facts:
        facts.append({"text": "nothing removed", "bad": False})
    rules = sorted({o.rule for o in doc.outcomes if o.rule})
    return {
        "id": doc.id, "site": doc.site, "facts": facts, "lines": _lines(doc.outcomes),
        "problem": bool(doc.false_positives or doc.missed),
        "search": " ".join([doc.id, doc.site or "", *rules]).lower(),
    }


def render_report(score: CorpusScore, tables: Sequence[TableLike] = ()) -> str:
    """The HTML page for one scored corpus, with ``tables`` (the terminal view's) as its summary."""
    from cleaner.core.errors import MissingExtraError, install_hint

    try:
        import jinja2
    except ImportError as exc:
        raise MissingExtraError(f"--report needs Jinja2 ({exc}); install it with {install_hint('report')}") from exc
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("cleaner", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    order = sorted(score.docs, key=lambda d: (-len(d.false_positives), -len(d.missed), d.id))
    return environment.get_template("report.html.j2").render(
        name=score.corpus.name, path=str(score.corpus.path), gold_check=score.gold_check,
        tables=tables, docs=[_doc(d) for d in order],
    )


def report_paths(scores: list[CorpusScore], path: Path) -> Iterator[tuple[CorpusScore, Path]]:
    """One page for one corpus at ``path``; with several, ``<stem>-<corpus><suffix>`` each."""
    if len(scores) == 1:
        yield scores[0], path
        return
    for score in scores:
        yield score, path.with_name(f"{path.stem}-{score.corpus.name}{path.suffix or '.html'}")


def write_reports(
    scores: list[CorpusScore], path: Path, tables: Sequence[Sequence[TableLike]] | None = None
) -> list[Path]:
    """Write the report page(s), each with its corpus's ``tables``; return where."""
    written = []
    for k, (score, target) in enumerate(report_paths(scores, path)):
        page = render_report(score, tables[k] if tables is not None else ())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written
