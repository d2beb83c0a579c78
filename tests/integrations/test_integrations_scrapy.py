"""The Scrapy item pipeline: Scrapy's pipeline contract, then a real crawl when Scrapy is installed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from cleaner.core.errors import ConfigError
from cleaner.engine.cleaner import Cleaner
from cleaner.integrations.scrapy import CleanerPipeline

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TEASER = (
    "A council voted on Tuesday to repair the old bridge.\n\nREAD ALSO: Mayor opens new library\n\n"
    "Work starts in May, and the road stays open meanwhile."
)
REFUSED = "Source link\n\nBack to top button\n\nSpread the love"


class FakeStats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


class FakeCrawler:
    """What Scrapy hands ``from_crawler``: ``.settings.get(name, default)`` and ``.stats``."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.stats = FakeStats()


def test_from_crawler_reads_the_field_names_and_cleans_dict_items() -> None:
    crawler = FakeCrawler(CLEANER_TEXT_FIELD="body", CLEANER_URL_FIELD="link", CLEANER_REMOVALS_FIELD="removed")
    pipeline = CleanerPipeline.from_crawler(crawler)
    item = {"body": TEASER, "link": "https://example.org/x", "title": "Bridge"}
    out = pipeline.process_item(item, None)
    assert out is item
    assert out["body"] == Cleaner.default().clean(TEASER)
    assert "READ ALSO" not in out["body"]
    assert out["title"] == "Bridge"
    assert out["removed"] == ["common/read-also"]
    assert crawler.stats.values == {"cleaner/removed/common/read-also": 1, "cleaner/cleaned": 1}


def test_items_without_text_and_refused_items_pass_through_unchanged() -> None:
    crawler = FakeCrawler()
    pipeline = CleanerPipeline.from_crawler(crawler)
    assert pipeline.process_item({"title": "no text"}) == {"title": "no text"}
    assert pipeline.process_item({"text": 7}) == {"text": 7}
    assert pipeline.process_item({"text": REFUSED})["text"] == REFUSED
    assert crawler.stats.values == {"cleaner/no_text": 2, "cleaner/refused": 1}


def test_the_url_field_and_site_setting_reach_the_cleaner() -> None:
    seen: list[tuple[str | None, str | None]] = []
    real = Cleaner.default()

    class Recording:
        def clean_and_explain(self, text: str, *, url: str | None = None, site: str | None = None) -> Any:
            seen.append((url, site))
            return real.clean_and_explain(text, url=url, site=site)

    pipeline = CleanerPipeline(Recording(), url_field="link", site=None)  # type: ignore[arg-type]
    pipeline.process_item({"text": TEASER, "link": "https://thehill.com/x"})
    pipeline.process_item({"text": TEASER, "link": 3})
    CleanerPipeline(Recording(), site="thehill.com").process_item({"text": TEASER})  # type: ignore[arg-type]
    assert seen == [("https://thehill.com/x", None), (None, None), (None, "thehill.com")]


def test_settings_as_strings_from_the_command_line(tmp_path: Path) -> None:
    rules = tmp_path / "rules" / "common"
    rules.mkdir(parents=True)
    (rules / "source-link.yaml").write_bytes((ROOT / "rules" / "common" / "source-link.yaml").read_bytes())
    crawler = FakeCrawler(CLEANER_RULES=f"{tmp_path / 'rules'}", CLEANER_BUILTIN_RULES="false")
    pipeline = CleanerPipeline.from_crawler(crawler)
    assert [rule.qualified_id for rule in pipeline.cleaner.rules.rules] == ["common/source-link"]
    assert pipeline.process_item({"text": TEASER})["text"] == TEASER  # no read-also rule loaded
    assert pipeline.process_item({"text": TEASER + "\n\nSource link"})["text"] == TEASER
    with pytest.raises(ConfigError):
        CleanerPipeline.from_crawler(FakeCrawler(CLEANER_BUILTIN_RULES="maybe"))


def test_module_import_does_not_import_scrapy() -> None:
    code = (
        "import sys, cleaner.integrations.scrapy; "
        "print(sorted({'scrapy', 'itemadapter', 'twisted'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_drop_refused_raises_scrapys_drop_item() -> None:
    exceptions = pytest.importorskip("scrapy.exceptions")
    pipeline = CleanerPipeline.from_crawler(FakeCrawler(CLEANER_DROP_REFUSED=True))
    with pytest.raises(exceptions.DropItem):
        pipeline.process_item({"text": REFUSED})


SPIDER = """
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

class Article(scrapy.Item):
    text = scrapy.Field()
    link = scrapy.Field()

class Articles(scrapy.Spider):
    name = "articles"

    async def start(self):
        for record in json.load(open(sys.argv[1], encoding="utf-8")):
            yield Article(**record) if record["link"].endswith("/item") else record

process = CrawlerProcess(settings={
    "ITEM_PIPELINES": {"cleaner.integrations.scrapy.CleanerPipeline": 300},
    "CLEANER_URL_FIELD": "link",
    "FEEDS": {sys.argv[2]: {"format": "jsonlines"}},
    "LOG_LEVEL": "WARNING",
})
crawler = process.create_crawler(Articles)
process.crawl(crawler)
process.start()
print(json.dumps({k: v for k, v in crawler.stats.get_stats().items() if k.startswith("cleaner/")}))
"""


def test_a_real_scrapy_crawl_cleans_dict_and_item_objects(tmp_path: Path) -> None:
    pytest.importorskip("scrapy")
    records = [{"text": seed.read_text(encoding="utf-8"), "link": f"https://example.org/{i}"} for i, seed in
               enumerate(SEEDS)]
    records += [{"text": TEASER, "link": "https://example.org/item"}, {"text": REFUSED, "link": "https://x.org/r"}]
    (tmp_path / "in.json").write_text(json.dumps(records), encoding="utf-8")
    (tmp_path / "spider.py").write_text(textwrap.dedent(SPIDER), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(tmp_path / "spider.py"), str(tmp_path / "in.json"), str(tmp_path / "out.jsonl")],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "CleanerPipeline" not in done.stderr  # no deprecation warning about our signature
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    cleaner = Cleaner.default()
    by_link = {record["link"]: record["text"] for record in out}
    for record in records:
        expected = REFUSED if record["text"] == REFUSED else cleaner.clean(record["text"], url=record["link"])
        assert by_link[record["link"]] == expected
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    assert stats["cleaner/refused"] == 1
    assert stats["cleaner/removed/common/read-also"] >= 1
    assert stats["cleaner/cleaned"] == len(SEEDS) + 1


def test_missing_itemadapter_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.integrations import scrapy as bridge

    monkeypatch.setitem(sys.modules, "itemadapter", None)  # import fails as when not installed
    with pytest.raises(ConfigError, match=re.escape("pip install 'residue-cleaner[scrapy]'")):
        bridge._adapter(object())
