"""Tables of ``cleaner bench``: rich on a terminal, aligned plain text in a pipe or file."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO

from cleaner.bench.harness import CorpusScore, DocScore
from cleaner.bench.metrics import RemovalCounts, SnippetCounts, TokenCounts

DASH = "—"
_MAX_ROWS = 20


@dataclass(frozen=True, slots=True)
class Table:
    """A titled grid of strings; columns in ``left`` are left-aligned, the others right-aligned."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    left: tuple[int, ...] = (0,)


def _pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.4f}"


def _frac(part: int, whole: int) -> str:
    return f"{part / whole:.4f} ({part}/{whole})" if whole else f"{DASH} (0/0)"


_REMOVAL_ROWS: tuple[tuple[str, Callable[[RemovalCounts], tuple[int, int]]], ...] = (
    ("removal precision, lines", lambda r: (r.removed_residue_lines, r.removed_lines)),
    ("removal precision, chars", lambda r: (r.removed_residue_chars, r.removed_chars)),
    ("removal recall, lines", lambda r: (r.removed_residue_lines, r.residue_lines)),
    ("removal recall, chars", lambda r: (r.removed_residue_chars, r.residue_chars)),
)


def _removal_rows(columns: Sequence[RemovalCounts | None]) -> list[tuple[str, ...]]:
    """Removal precision and recall, one cell per column (a dash where nothing was measured)."""
    if all(c is None for c in columns):
        return []
    return [(label, *(DASH if c is None else _frac(*share(c)) for c in columns)) for label, share in _REMOVAL_ROWS]


def _token_cell(t: TokenCounts | None, which: str) -> str:
    return DASH if t is None else f"{getattr(t, which):.4f}"


def _snip_cell(s: SnippetCounts | None, which: str) -> str:
    if s is None:
        return DASH
    return _frac(s.with_kept, s.with_total) if which == "with" else _frac(s.without_removed, s.without_total)


def summary_table(score: CorpusScore) -> Table:
    """Micro figures, no cleaning next to cleaned (and the trafilatura path when run)."""
    sides = [("before", "no cleaning"), ("after", "cleaner")]
    if score.html_seconds is not None:
        sides += [("html_before", "trafilatura (html)"), ("html_after", "trafilatura + cleaner")]
    # Only a cleaning removes: its columns are the cleaner's, on the input and on trafilatura's text.
    removal: list[RemovalCounts | None] = [None, score.removal]
    html = score.html_part()
    if html is not None:
        removal += [None, html.removal]
    rows: list[tuple[str, ...]] = _removal_rows(removal)
    tokens = [score.tokens(side) for side, _ in sides]
    if any(t is not None for t in tokens):
        for label, which in (("token precision", "precision"), ("token recall", "recall"), ("token F1", "f1")):
            rows.append((label, *(_token_cell(t, which) for t in tokens)))
        rows.append(("token F1, mean per document", *(_pct(score.macro_token_f1(side)) for side, _ in sides)))
    matches = [score.exact(side) for side, _ in sides]
    if any(m is not None for m in matches):
        rows.append(("exact matches", *(DASH if m is None else _frac(*m) for m in matches)))
    snippets = [score.snippets(side) for side, _ in sides]
    if any(s is not None for s in snippets):
        rows.append(("'with' snippets kept", *(_snip_cell(s, "with") for s in snippets)))
        rows.append(("'without' snippets removed", *(_snip_cell(s, "without") for s in snippets)))
    refused = sum(d.skipped is not None for d in score.docs)
    timing = f"{score.seconds:.1f} s" + ("" if score.html_seconds is None else f", html {score.html_seconds:.1f} s")
    title = (f"{score.corpus.name}: {len(score.docs)} documents, gold {score.gold_check}, "
             f"{refused} refused by the guard, {timing}")
    return Table(title, ("metric", *(label for _, label in sides)), tuple(rows))


def rules_table(score: CorpusScore, of: str = "") -> Table | None:
    """What each rule removed across the corpus; ``of`` names the text cleaned when not the input."""
    stats = score.rule_stats()
    if not stats:
        return None
    rows: tuple[tuple[str, ...], ...]
    headers: tuple[str, ...]
    if score.has_snippets:
        rows = tuple((s.rule, str(s.lines), str(s.false_positives), str(s.snippets_lost), str(s.documents),
                      s.summary) for s in stats)
        headers = ("rule", "lines removed", "false positives", "'with' snippets lost", "documents", "summary")
    else:
        rows = tuple((s.rule, str(s.lines), str(s.false_positives), str(s.documents), s.summary) for s in stats)
        headers = ("rule", "lines removed", "false positives", "documents", "summary")
    title = f"{score.corpus.name}: rules" + (f" on {of}" if of else "")
    return Table(f"{title} (false positives = removed lines the gold keeps)", headers, rows, (0, len(headers) - 1))


def signals_table(score: CorpusScore) -> Table | None:
    """Each signal's hits on residue and on content lines the decisive rules kept (mass-check)."""
    stats = score.signal_stats()
    if not stats:
        return None
    rows = tuple(
        (s.signal, f"{s.weight:+g}", str(s.on_residue), str(s.on_content),
         _pct(s.on_residue / (s.on_residue + s.on_content)))
        for s in stats
    )
    headers = ("signal", "weight", "on residue", "on content", "share residue")
    title = f"{score.corpus.name}: signals on the lines the decisive rules kept (misleading: many on content)"
    return Table(title, headers, rows, (0,))


def _doc_counts(docs: Sequence[DocScore]) -> tuple[RemovalCounts | None, TokenCounts | None]:
    removal = [d.removal for d in docs if d.removal is not None]
    tokens = [d.after.tokens for d in docs if d.after.tokens is not None]
    r_total = sum(removal, RemovalCounts()) if removal else None
    t_total = sum(tokens, TokenCounts()) if tokens else None
    return r_total, t_total


def _rp(removal: RemovalCounts | None) -> tuple[str, str]:
    if removal is None:
        return DASH, DASH
    return _pct(removal.line_precision), _pct(removal.line_recall)


def sites_table(score: CorpusScore) -> Table | None:
    sites = score.sites()
    if len(sites) < 2:
        return None
    chosen = sorted(sites.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    if len(chosen) > _MAX_ROWS:
        chosen = [kv for kv in chosen if len(kv[1]) >= 2][:_MAX_ROWS]
        if not chosen:
            return None
    rows = []
    snippets = score.has_snippets
    for site, docs in chosen:
        removal, tokens = _doc_counts(docs)
        row: tuple[str, ...] = (site, str(len(docs)), *_rp(removal), _token_cell(tokens, "f1"))
        if snippets:
            s = sum((d.after.snippets for d in docs if d.after.snippets), SnippetCounts())
            row += (_snip_cell(s, "with"), _snip_cell(s, "without"))
        rows.append(row)
    title = f"{score.corpus.name}: per site" + (" (sites with most documents)" if len(sites) > len(rows) else "")
    headers: tuple[str, ...] = ("site", "documents", "precision, lines", "recall, lines", "token F1")
    if snippets:
        headers += ("'with' kept", "'without' removed")
    return Table(title, headers, tuple(rows))


def documents_table(score: CorpusScore, explain: bool) -> Table | None:
    docs = score.docs
    if len(docs) > _MAX_ROWS:
        if not explain:
            return None
        docs = sorted((d for d in docs if d.false_positives or d.missed or d.snippets_lost),
                      key=lambda d: (-len(d.false_positives) - len(d.snippets_lost), -len(d.missed), d.id))[:_MAX_ROWS]
    rows = []
    for d in docs:
        exact = DASH if d.after.exact is None else ("yes" if d.after.exact else "no")
        rows.append((d.id, d.site or DASH, *_rp(d.removal), _token_cell(d.after.tokens, "f1"), exact,
                     str(len(d.false_positives)), str(len(d.missed)), str(len(d.snippets_lost))))
    if not rows:
        return None
    title = f"{score.corpus.name}: per document" + ("" if len(docs) == len(score.docs) else " (worst first)")
    return Table(title, ("document", "site", "precision, lines", "recall, lines", "token F1", "exact",
                         "false pos.", "missed", "snippets lost"), tuple(rows))


def explain_lines(score: CorpusScore) -> list[str]:
    """Every false positive and missed residue line, as ``corpus:doc:line: ...``."""
    out = []
    for doc in score.docs:
        for fp in doc.false_positives:
            out.append(f"{score.corpus.name}:{doc.id}:{fp.line}: false positive by {fp.rule}: {fp.text[:160]!r}")
        for line, text in doc.missed:
            out.append(f"{score.corpus.name}:{doc.id}:{line}: missed residue: {text[:160]!r}")
        for snippet, rule in doc.snippets_lost:
            out.append(f"{score.corpus.name}:{doc.id}: 'with' snippet lost by {rule}: {snippet[:160]!r}")
        if doc.removal is None:
            # No gold to judge by: list what was removed, for a person to review.
            for o in doc.outcomes:
                if o.rule is not None:
                    shown = o.text if o.cut is None else o.text[o.cut[0]:o.cut[1]]
                    out.append(f"{score.corpus.name}:{doc.id}:{o.line}: removed by {o.rule}: {shown[:160]!r}")
    return out


def render(tables: Sequence[Table], stream: TextIO | None = None, *, color: bool | None = None) -> None:
    """Print tables with rich: boxed and fitted to a terminal, plain and unwrapped otherwise.

    On a terminal a long last column (a rule's summary) is cut with an ellipsis to fit, never
    wrapped mid-word. Elsewhere (a file, a pipe) columns are aligned by display width, so
    wide characters line up, with two spaces between columns and nothing cut.
    """
    # Imported here: rich costs start-up time; only a table view needs it.
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table as RichTable

    stream = stream or sys.stdout
    terminal = stream.isatty() if color is None else color
    if terminal:
        console = Console(file=stream, force_terminal=True, highlight=False)
    else:
        console = Console(file=io.StringIO(), width=100_000, no_color=True, highlight=False, force_terminal=False)
    for table in tables:
        last = len(table.headers) - 1
        if terminal:
            rich_table = RichTable(title=table.title, title_justify="left")
        else:
            rich_table = RichTable(box=None, show_edge=False, pad_edge=False, padding=(0, 1))
        widths = [max(cell_len(cell) for cell in column) for column in zip(table.headers, *table.rows, strict=True)]
        # On a terminal the last text column (a summary) gives way, cut with an ellipsis; the
        # others (rule ids, numbers) keep their width. Each column costs its width, two cells of
        # padding and a border.
        room = console.width - sum(w + 3 for w in widths[:last]) - 4
        for k, header in enumerate(table.headers):
            cut = terminal and k == last and k in table.left
            rich_table.add_column(
                header, justify="left" if k in table.left else "right", no_wrap=cut or not terminal,
                overflow="ellipsis" if cut else "fold", max_width=max(room, len(header)) if cut else None,
            )
        for row in table.rows:
            rich_table.add_row(*row)
        if terminal:
            console.print(rich_table)
            continue
        with console.capture() as captured:
            console.print(rich_table)
        lines = [line.rstrip() for line in captured.get().splitlines()]
        stream.write(table.title + "\n" + "\n".join(lines) + "\n\n")
