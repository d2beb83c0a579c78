"""A Scrapy item pipeline that cleans one text field of every item.

Importing this module does not import Scrapy: the pipeline follows Scrapy's documented
contract (``from_crawler``, ``process_item``) and touches Scrapy only to drop a refused
item, and itemadapter only for items that are not plain dicts.

Enable it in ``settings.py``::

    ITEM_PIPELINES = {"cleaner.integrations.scrapy.CleanerPipeline": 300}
    CLEANER_TEXT_FIELD = "text"          # the field to clean (default "text")
    CLEANER_URL_FIELD = "url"            # the field whose URL picks the site pack (default "url")
    CLEANER_RULES = ["my-rules/"]        # extra rule directories (a list, or "a,b")
    CLEANER_BUILTIN_RULES = True         # False: only CLEANER_RULES
    CLEANER_SITE = None                  # force one site pack
    CLEANER_MAX_REMOVED_SHARE = 0.6      # guard: refuse when more of the words would go
    CLEANER_DROP_REFUSED = False         # True: drop items the guard refused (else kept as they were)
    CLEANER_REMOVALS_FIELD = None        # e.g. "cleaner_removed": store the removing rules' ids

Counts go to the crawler's stats: ``cleaner/removed/<pack>/<rule>``, ``cleaner/cleaned``,
``cleaner/unchanged``, ``cleaner/refused``, ``cleaner/no_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from cleaner.core.errors import ConfigError, install_hint
from cleaner.core.model import Config
from cleaner.engine.cleaner import Cleaner


class _Settings(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...


class _Stats(Protocol):
    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


class CleanerPipeline:
    """Clean ``item[text_field]`` in place; the URL in ``item[url_field]`` picks the site pack."""

    def __init__(
        self,
        cleaner: Cleaner | None = None,
        *,
        text_field: str = "text",
        url_field: str = "url",
        site: str | None = None,
        drop_refused: bool = False,
        removals_field: str | None = None,
        stats: _Stats | None = None,
    ) -> None:
        for name, value in (("text_field", text_field), ("url_field", url_field)):
            if not isinstance(value, str) or not value:
                raise ConfigError(f"cleaner: {name} must be a field name (a non-empty str), got {value!r}")
        if site is not None and not isinstance(site, str):
            raise ConfigError(f"cleaner: site must be a site name (str) or None, got {site!r}")
        if removals_field is not None and (not isinstance(removals_field, str) or removals_field == text_field):
            raise ConfigError(
                f"cleaner: removals_field must be a field name other than the text field {text_field!r} "
                f"(it would overwrite the cleaned text), got {removals_field!r}"
            )
        self.cleaner = cleaner or Cleaner.default()
        self.text_field = text_field
        self.url_field = url_field
        self.site = site
        self.drop_refused = drop_refused
        self.removals_field = removals_field
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanerPipeline:
        """Build the pipeline from the crawler's ``CLEANER_*`` settings (compiles the rules once)."""
        settings: _Settings = crawler.settings
        rules = _as_list(settings.get("CLEANER_RULES"))
        config = Config()
        share = settings.get("CLEANER_MAX_REMOVED_SHARE")
        if share is not None:
            try:
                number = float(share)
            except (TypeError, ValueError):
                raise ConfigError(f"CLEANER_MAX_REMOVED_SHARE must be a number from 0 to 1, got {share!r}") from None
            config = Config(max_removed_share=number)
        cleaner = Cleaner.from_paths(
            [Path(p) for p in rules], include_builtin=_as_bool(settings.get("CLEANER_BUILTIN_RULES", True)),
            config=config,
        )
        return cls(
            cleaner,
            text_field=str(settings.get("CLEANER_TEXT_FIELD") or "text"),
            url_field=str(settings.get("CLEANER_URL_FIELD") or "url"),
            site=settings.get("CLEANER_SITE") or None,
            drop_refused=_as_bool(settings.get("CLEANER_DROP_REFUSED", False)),
            removals_field=settings.get("CLEANER_REMOVALS_FIELD") or None,
            stats=getattr(crawler, "stats", None),
        )

    def process_item(self, item: Any, spider: object = None) -> Any:
        """Return the item with its text field cleaned.

        ``spider`` is optional: Scrapy 2.13+ no longer passes it to methods that do not
        require it, older versions always do.
        """
        fields = item if isinstance(item, dict) else _adapter(item)
        text = fields.get(self.text_field)
        if not isinstance(text, str):
            self._count("no_text")
            return item
        url = fields.get(self.url_field)
        result = self.cleaner.clean_and_explain(text, url=url if isinstance(url, str) else None, site=self.site)
        if result.skipped:
            self._count("refused")
            if self.drop_refused:
                # Imported here: an optional dependency, needed only when the pipeline runs.
                from scrapy.exceptions import DropItem

                raise DropItem(f"cleaner: {result.skipped}")
            return item
        if self.removals_field:
            # First, so that an item that cannot take the field (an undeclared field on a
            # scrapy.Item) is left whole, not half-written.
            try:
                fields[self.removals_field] = [removal.rule for removal in result.removals]
            except KeyError:
                raise ConfigError(
                    f"cleaner: {type(item).__name__} has no field {self.removals_field!r} for the removals: "
                    f"declare it ({self.removals_field} = scrapy.Field()) or unset CLEANER_REMOVALS_FIELD"
                ) from None
        fields[self.text_field] = result.text
        for removal in result.removals:
            self._count(f"removed/{removal.rule}")
        self._count("cleaned" if result.removals else "unchanged")
        return item

    def _count(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"cleaner/{key}")


def _adapter(item: Any) -> Any:
    try:
        # Imported here: an optional dependency, needed only when the pipeline runs.
        from itemadapter import ItemAdapter
    except ImportError as exc:
        raise ConfigError(
            f"cleaner: items of type {type(item).__name__} need itemadapter; {install_hint('scrapy')}"
        ) from exc
    return ItemAdapter(item)


def _as_list(value: object) -> Sequence[str]:
    # Settings from the command line (-s CLEANER_RULES=a,b) arrive as one string.
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list | tuple):
        return tuple(str(part) for part in value)
    raise ConfigError(f"CLEANER_RULES must be a list of directories, got {value!r}")


def _as_bool(value: object) -> bool:
    if isinstance(value, str):
        if value.strip().lower() in ("1", "true", "yes", "on"):
            return True
        if value.strip().lower() in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"expected a boolean setting (True/False), got {value!r}")
    return bool(value)
