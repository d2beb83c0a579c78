"""A datatrove pipeline step that cleans ``Document.text`` and counts each rule's removals.

Install with ``pip install 'residue-cleaner[datatrove]'``. Importing this module imports datatrove;
``import cleaner`` never does.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.integrations.datatrove import CleanerStep

    LocalPipelineExecutor(pipeline=[
        JsonlReader("raw/"),
        CleanerStep(exclusion_writer=JsonlWriter("refused/")),
        JsonlWriter("clean/"),
    ], tasks=4).run()

Learning each site's furniture from the crawl first (``cleaner clean --learn``): a learning
pipeline counts per task, one task merges the counts into packs, the cleaning pipeline reads
them (README, "Learning from the crawl", shows the same on Slurm):

    from cleaner.integrations.datatrove import LearnStep, MergeLearnedStep

    learn = LocalPipelineExecutor([JsonlReader("raw/"), LearnStep("learned/counts")], tasks=4,
                                  logging_dir="logs/learn")
    merge = LocalPipelineExecutor([MergeLearnedStep("learned/counts", "learned/rules")], tasks=1,
                                  logging_dir="logs/merge", depends=learn)
    LocalPipelineExecutor([JsonlReader("raw/"), CleanerStep(rules=["learned/rules"]), JsonlWriter("clean/")],
                          tasks=4, logging_dir="logs/clean", depends=merge).run()
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from cleaner.core.model import Config
from cleaner.engine.cleaner import Cleaner
from cleaner.engine.learn import COUNTS_SUFFIX, Learner, LearnOptions
from cleaner.mine.learned import merge_learned

# The reason datatrove records (``dropped_<reason>``) for documents the guard refused.
REFUSED = "cleaner_refused"


class CleanerStep(BaseFilter):  # type: ignore[misc]  # datatrove ships no type information
    """Clean each document's text with ``cleaner``; count removals per rule in the step's stats.

    Stats (in datatrove's ``stats.json`` and its end-of-run summary): ``removed/<pack>/<rule>``
    per removal, ``removed_chars`` per changed document, ``cleaned`` and ``unchanged`` documents,
    and ``refused`` documents the guard would not clean (more than ``max_removed_share`` of
    their words would go); ``no_text`` documents whose text is not a string (passed on as they are).

    A refused document goes to ``exclusion_writer`` when one is given (counted as
    ``dropped_cleaner_refused``); otherwise it continues down the pipeline with its text as it was.

    The URL that picks a site pack is read from ``doc.metadata[url_key]``. Rules come from the
    built-ins plus ``rules`` directories; the compiled Cleaner is built once per task, in the
    worker, so the step pickles small for Slurm and Ray.
    """

    name = "🧹 cleaner"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        rules: Sequence[str | Path] = (),
        *,
        include_builtin: bool = True,
        config: Config | None = None,
        url_key: str = "url",
        site: str | None = None,
        exclusion_writer: DiskWriter | None = None,
        cleaner: Cleaner | None = None,
    ) -> None:
        super().__init__(exclusion_writer=exclusion_writer)
        self.rules = tuple(str(p) for p in rules)
        self.include_builtin = include_builtin
        self.config = config
        self.url_key = url_key
        self.site = site
        self._given = cleaner
        self._compiled: Cleaner | None = None

    @property
    def cleaner(self) -> Cleaner:
        """The Cleaner given, or one compiled on first use (in the worker that runs the task)."""
        if self._given is not None:
            return self._given
        if self._compiled is None:
            self._compiled = Cleaner.from_paths(self.rules, include_builtin=self.include_builtin, config=self.config)
        return self._compiled

    def __getstate__(self) -> dict[str, Any]:
        # Ship the recipe, not the compiled rules: each worker compiles its own once.
        return {**self.__dict__, "_compiled": None}

    def update_doc_stats(self, document: Document) -> None:
        """datatrove's per-document stats (lengths), for documents whose text is a string."""
        if isinstance(document.text, str):
            super().update_doc_stats(document)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        """Clean ``doc.text`` in place; ``(False, reason)`` only for refused documents with a writer."""
        if not isinstance(doc.text, str):
            # A reader handed a non-string text: count it and pass it on; one odd document
            # must not abort the task and lose the rest of its shard.
            self.stat_update("no_text")
            return True
        url = doc.metadata.get(self.url_key)
        result = self.cleaner.clean_and_explain(doc.text, url=url if isinstance(url, str) else None, site=self.site)
        if result.skipped:
            self.stat_update("refused")
            if self.exclusion_writer:
                return False, REFUSED
            return True
        for removal in result.removals:
            self.stat_update(f"removed/{removal.rule}")
        if result.removals:
            self.stat_update("cleaned")
            self.stat_update("removed_chars", value=len(result.normalized) - len(result.text), unit="doc")
        else:
            self.stat_update("unchanged")
        doc.text = result.text
        return True


class LearnStep(PipelineStep):  # type: ignore[misc]  # datatrove ships no type information
    """Count each site's recurring lines (``cleaner clean --learn``'s first pass), per task.

    Documents pass through unchanged. At the end of its task the step writes the task's counts
    to ``counts_folder/<rank>.learn.json.gz`` (bounded in size like the counts in memory, see
    :class:`cleaner.engine.learn.LearnOptions`); :class:`MergeLearnedStep` merges them into packs.
    The site is the registered domain of ``doc.metadata[url_key]``, or ``site``.
    """

    name = "🧹 cleaner learn"
    type = "✂️ - FORMAT"

    def __init__(
        self, counts_folder: str | Path, *, url_key: str = "url", site: str | None = None,
        options: LearnOptions | None = None,
    ) -> None:
        super().__init__()
        self.counts_folder = str(counts_folder)
        self.url_key = url_key
        self.site = site
        self.options = options

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        learner = Learner(self.options)
        for doc in data or ():
            url = doc.metadata.get(self.url_key)
            learner.add(doc.text, url=url if isinstance(url, str) else None, site=self.site)
            self.stat_update("pages")
            yield doc
        folder = Path(self.counts_folder)
        folder.mkdir(parents=True, exist_ok=True)
        learner.save(folder / f"{rank:05d}{COUNTS_SUFFIX}")
        self.stat_update("sites", value=len(learner.sites))


class MergeLearnedStep(PipelineStep):  # type: ignore[misc]  # datatrove ships no type information
    """Merge every task's counts and write the learned packs to ``rules_folder/learned/``.

    Run it in a pipeline of one task after the learning pipeline; then clean with
    ``CleanerStep(rules=[rules_folder])``. Documents given to it pass through.
    """

    name = "🧹 cleaner merge learned"
    type = "✂️ - FORMAT"

    def __init__(self, counts_folder: str | Path, rules_folder: str | Path, *, options: LearnOptions | None = None):
        super().__init__()
        self.counts_folder = str(counts_folder)
        self.rules_folder = str(rules_folder)
        self.options = options

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if rank == 0:
            written = merge_learned(self.counts_folder, self.rules_folder, self.options)
            self.stat_update("packs", value=len(written))
        yield from data or ()
