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
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from cleaner.core.model import Config
from cleaner.engine.cleaner import Cleaner

# The reason datatrove records (``dropped_<reason>``) for documents the guard refused.
REFUSED = "cleaner_refused"


class CleanerStep(BaseFilter):  # type: ignore[misc]  # datatrove ships no type information
    """Clean each document's text with ``cleaner``; count removals per rule in the step's stats.

    Stats (in datatrove's ``stats.json`` and its end-of-run summary): ``removed/<pack>/<rule>``
    per removal, ``removed_chars`` per changed document, ``cleaned`` and ``unchanged`` documents,
    and ``refused`` documents the guard would not clean (more than ``max_removed_share`` of
    their words would go).

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

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        """Clean ``doc.text`` in place; ``(False, reason)`` only for refused documents with a writer."""
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
