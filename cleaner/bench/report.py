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

from cleaner.bench.gold import fold
from cleaner.bench.harness import CorpusScore, DocScore, LineOutcome
from cleaner.core.errors import MissingExtraError, install_hint

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


GoldErrors = dict[str, list[tuple[str, str]]]
"""Per document id: (folded line prefix, or "*" for any line; why the gold is wrong there)."""


def load_gold_errors(path: Path) -> GoldErrors:
    """Gold errors a person checked, one ``id<TAB>line prefix<TAB>reason`` a line (``*``: any line).

    The format of ``benchmarks/gold-errors/<corpus>.tsv``; ``#`` starts a comment line. A line
    the cleaner removed and the gold keeps is a false positive, unless it is listed here: then
    the report shows it as a gold error, with the reason.
    """
    errors: GoldErrors = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            doc, prefix, reason = [*raw.split("\t"), "", ""][:3]
            errors.setdefault(doc, []).append((prefix if prefix == "*" else fold(prefix), reason))
    return errors


def _gold_error(doc: str, text: str, errors: GoldErrors) -> str | None:
    listed = errors.get(doc)
    if not listed:
        return None
    folded = fold(text)
    return next((reason or "listed" for prefix, reason in listed if prefix == "*" or folded.startswith(prefix)), None)


def _line(outcome: LineOutcome, doc: str, errors: GoldErrors) -> dict[str, Any]:
    status = "kept" if outcome.status in _KEPT else outcome.status
    reason = _gold_error(doc, outcome.text, errors) if status == "content-removed" else None
    if reason is not None:
        status = "gold-error"
    item: dict[str, Any] = {"gap": 0, "line": outcome.line, "status": status, "text": outcome.text,
                            "rule": outcome.rule, "cut": None, "reason": reason}
    if outcome.cut is not None and status != "content-removed" and outcome.rule is not None:
        start, end = outcome.cut
        item.update(before=outcome.text[:start], cut=outcome.text[start:end], after=outcome.text[end:])
    return item


def _lines(outcomes: Sequence[LineOutcome], doc: str, errors: GoldErrors) -> list[dict[str, Any]]:
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
        items.append(_line(outcome, doc, errors))
    if gap:
        items.append({"gap": gap})
    return items


def _doc(doc: DocScore, errors: GoldErrors) -> dict[str, Any]:
    lines = _lines(doc.outcomes, doc.id, errors)
    gold_errors = sum(1 for item in lines if item.get("status") == "gold-error")
    wrong = len(doc.false_positives) - gold_errors
    facts: list[dict[str, Any]] = []
    if doc.removal is not None:
        facts.append({"text": f"{doc.removal.removed_lines} lines removed"})
    if wrong > 0:
        facts.append({"text": f"{wrong} wrongly removed", "bad": True})
    if gold_errors:
        facts.append({"text": f"{gold_errors} gold error(s) listed"})
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
        "id": doc.id, "site": doc.site, "facts": facts, "lines": lines, "wrong": wrong,
        "problem": bool(wrong > 0 or doc.missed),
        "search": " ".join([doc.id, doc.site or "", *rules]).lower(),
    }


def render_report(score: CorpusScore, tables: Sequence[TableLike] = (), gold_errors: GoldErrors | None = None) -> str:
    """The HTML page for one scored corpus, with ``tables`` (the terminal view's) as its summary.

    Removed lines listed in ``gold_errors`` are shown as gold errors, not as lost content.
    """
    try:
        # Imported here: Jinja2 is the `report` extra, needed only when a report is written.
        import jinja2
    except ImportError as exc:
        raise MissingExtraError(f"--report needs Jinja2 ({exc}); install it with {install_hint('report')}") from exc
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("cleaner", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    docs = [_doc(d, gold_errors or {}) for d in score.docs]
    docs.sort(key=lambda d: (-d["wrong"], -sum(1 for i in d["lines"] if i.get("status") == "residue-missed"), d["id"]))
    return environment.get_template("report.html.j2").render(
        name=score.corpus.name, path=str(score.corpus.path), gold_check=score.gold_check,
        tables=tables, docs=docs, gold_errors=bool(gold_errors),
    )


def report_paths(scores: list[CorpusScore], path: Path) -> Iterator[tuple[CorpusScore, Path]]:
    """One page for one corpus at ``path``; with several, ``<stem>-<corpus><suffix>`` each."""
    if len(scores) == 1:
        yield scores[0], path
        return
    for score in scores:
        yield score, path.with_name(f"{path.stem}-{score.corpus.name}{path.suffix or '.html'}")


def write_reports(
    scores: list[CorpusScore], path: Path, tables: Sequence[Sequence[TableLike]] | None = None,
    gold_errors: Path | None = None,
) -> list[Path]:
    """Write the report page(s), each with its corpus's ``tables``; return where.

    ``gold_errors`` is a folder of ``<corpus name>.tsv`` files (see :func:`load_gold_errors`).
    """
    written = []
    for k, (score, target) in enumerate(report_paths(scores, path)):
        listed = gold_errors / f"{score.corpus.name}.tsv" if gold_errors is not None else None
        errors = load_gold_errors(listed) if listed is not None and listed.is_file() else None
        page = render_report(score, tables[k] if tables is not None else (), errors)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written
