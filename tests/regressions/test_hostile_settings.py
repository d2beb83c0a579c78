"""Issue 15, item 15: settings are checked where they are made; a bad item or document is
counted and passed on, never half-written and never the end of a task."""

from __future__ import annotations

from typing import Any

import pytest

from cleaner import Cleaner, Config, clean
from cleaner.core.errors import CleanerError, ConfigError, InputError
from cleaner.integrations.scrapy import CleanerPipeline

TEASER = (
    "A council voted on Tuesday to repair the old bridge.\n\nREAD ALSO: Mayor opens new library\n\n"
    "Work starts in May, and the road stays open meanwhile."
)


class FakeCrawler:
    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.stats = None


def test_item15_removals_field_cannot_be_the_text_field() -> None:
    with pytest.raises(ConfigError, match="would overwrite the cleaned text"):
        CleanerPipeline(Cleaner.default(), removals_field="text")
    with pytest.raises(ConfigError, match="would overwrite the cleaned text"):
        CleanerPipeline.from_crawler(FakeCrawler(CLEANER_TEXT_FIELD="body", CLEANER_REMOVALS_FIELD="body"))


def test_item15_an_undeclared_removals_field_leaves_the_item_whole() -> None:
    scrapy = pytest.importorskip("scrapy")

    class Article(scrapy.Item):  # type: ignore[misc]
        text = scrapy.Field()

    item = Article(text=TEASER)
    pipeline = CleanerPipeline(Cleaner.default(), removals_field="removed")
    with pytest.raises(ConfigError, match=r"has no field 'removed'.*scrapy\.Field"):
        pipeline.process_item(item)
    assert item["text"] == TEASER  # not overwritten before the error


@pytest.mark.parametrize("share", [-1, 1.5, float("nan"), "x", True])
def test_item15_max_removed_share_must_be_a_share(share: object) -> None:
    with pytest.raises(ConfigError, match="max_removed_share must be a number from 0 to 1"):
        Cleaner.default(Config(max_removed_share=share))  # type: ignore[arg-type]


@pytest.mark.parametrize("share", [-1, "1.5", "nan", "x", None])
def test_item15_scrapy_max_removed_share_must_be_a_share(share: object) -> None:
    if share is None:
        assert CleanerPipeline.from_crawler(FakeCrawler(CLEANER_MAX_REMOVED_SHARE=share))
        return
    with pytest.raises(ConfigError, match="must be a number from 0 to 1"):
        CleanerPipeline.from_crawler(FakeCrawler(CLEANER_MAX_REMOVED_SHARE=share))


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), "1"])
def test_item15_match_timeout_must_be_positive(timeout: object) -> None:
    with pytest.raises(ConfigError, match="match_timeout"):
        Cleaner.default(Config(match_timeout=timeout))  # type: ignore[arg-type]


@pytest.mark.parametrize("keyword", ["url", "site"])
@pytest.mark.parametrize("value", [42, b"https://example.org/", ["x"]])
def test_item15_non_string_url_or_site_is_an_input_error(keyword: str, value: object) -> None:
    with pytest.raises(InputError, match=f"{keyword}= must be a str or None"):
        clean(TEASER, **{keyword: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("setting", ["CLEANER_SITE", "CLEANER_REMOVALS_FIELD"])
def test_item15_scrapy_settings_of_the_wrong_type(setting: str) -> None:
    with pytest.raises(CleanerError):
        CleanerPipeline.from_crawler(FakeCrawler(**{setting: 42}))


def test_item15_datatrove_passes_a_non_string_text_on_and_counts_it() -> None:
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerStep

    step = CleanerStep()
    odd = Document(text=None, id="odd")  # type: ignore[arg-type]
    kept = list(step.run(iter([odd, Document(text=TEASER, id="y")])))
    assert [d.id for d in kept] == ["odd", "y"]
    assert "READ ALSO" not in kept[1].text
    assert step.stats["no_text"].total == 1
