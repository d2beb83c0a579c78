"""Learned packs on disk: reviewable YAML in the miner's format, and the merge of task counts.

``cleaner clean --learn --save-learned DIR`` and the datatrove merge step write
``DIR/learned/<site>.yaml``, and ``DIR/learned/recurrence.json`` (the shares the weighed
evidence's site facts read); ``--rules DIR`` (:func:`cleaner.loader.load_dirs`,
``Cleaner.from_paths``) reads them back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from cleaner.core.errors import CleanerError, InputError
from cleaner.core.model import Rule
from cleaner.engine.learn import Learned, LearnOptions, SiteCounts, Support, merge_counts, recurrence_table
from cleaner.mine.miner import Proposal
from cleaner.mine.pack import check_pack, render_rule
from cleaner.rules.loader import RECURRENCE_FILE

HEADER = """\
# Learned by `cleaner clean --learn` from {pages} pages of {site} ({copies} copies of an
# already seen body not counted). Every rule is a line that recurs on the site's pages, in
# the same zone; its support is in the comment above it. Review as a mined pack (README,
# "Mining site rules"): delete a rule whose `match` examples are not residue. Reuse with
# `cleaner clean --rules DIR`, where DIR holds this learned/ folder.
"""


def render_learned(site: str, rules: Sequence[Rule], support: Mapping[str, Support], pages: int, copies: int) -> str:
    """One site's learned pack as YAML in the miner's format: support comments, examples."""
    lines = HEADER.format(pages=pages, site=site, copies=copies).splitlines()
    lines += [f"site: {site}", "rules:" if rules else "rules: []"]
    for rule in rules:
        why = support[rule.qualified_id]
        proposal = Proposal(
            id=rule.id, kind=rule.kind, summary=rule.summary, pattern=rule.pattern or "", options=rule.options,
            match=rule.examples.match, no_match=rule.examples.no_match, docs=why.pages, total=why.total,
            where=str(why).split(", ", 1)[1], positions="", example_docs=(),
        )
        rendered = render_rule(proposal, preview=False)
        rendered[0] = f"  # support: {why}; zone: {why.zone}"
        lines += rendered
    return "\n".join(lines) + "\n"


def save_learned(
    learned: Learned, counts: Mapping[str, SiteCounts], directory: str | Path, *, overwrite: bool = False
) -> list[Path]:
    """Write each site's learned pack to ``directory/learned/<site>.yaml``; return the paths.

    An existing pack may have been reviewed: it is not overwritten unless ``overwrite``.
    """
    folder = Path(directory) / "learned"
    by_site = sorted(learned.by_site().items())
    taken = [str(folder / f"{site}.yaml") for site, _ in by_site if (folder / f"{site}.yaml").exists()]
    if (folder / RECURRENCE_FILE).exists():
        taken.append(str(folder / RECURRENCE_FILE))
    if taken and not overwrite:
        raise InputError(f"{', '.join(taken[:3])} exist(s); a reviewed pack would be overwritten: save to another DIR")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for site, rules in by_site:
        site_counts = counts.get(site, SiteCounts())
        text = render_learned(site, rules, learned.support, site_counts.pages, site_counts.copies)
        problems = [d for d in check_pack(text, site) if d.severity == "error"]
        if problems:
            details = "\n".join(d.format() for d in problems)
            raise CleanerError(f"the learned pack for {site} does not validate (please report):\n{details}")
        path = folder / f"{site}.yaml"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    # The shares the weighed evidence reads (site-recurs facts): data beside the packs, not rules.
    table = recurrence_table(learned)
    if table:
        path = folder / RECURRENCE_FILE
        path.write_text(json.dumps(table, indent=1, sort_keys=True, ensure_ascii=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


def merge_learned(counts: str | Path, rules: str | Path, options: LearnOptions | None = None) -> list[Path]:
    """Merge the tasks' counts in ``counts`` and write the learned packs to ``rules/learned/``.

    ``rules`` is then a rules directory: ``Cleaner.from_paths([rules])``, ``--rules rules``.
    Packs written there before are replaced (a pipeline run again writes them again).
    """
    learner = merge_counts(counts, options)
    return save_learned(learner.result(), learner.sites, rules, overwrite=True)
