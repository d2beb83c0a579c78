"""Issue 15, item 2: a long URL or host costs no more than a short one (no quadratic matching)."""

from __future__ import annotations

from cleaner import Cleaner
from cleaner.core.model import SitePack
from cleaner.engine.sites import pack_for_host
from cleaner.text.hosts import host_of

LONG_HOST = "a." * 100_000 + "example.org"  # 200 KB, 100,001 labels


class CountingDict(dict[str, SitePack]):
    """Counts the look-ups and the characters looked up: the work host matching does."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.lookups = 0
        self.chars = 0

    def get(self, key: str, default: object = None) -> SitePack | None:  # type: ignore[override]
        self.lookups += 1
        self.chars += len(key)
        return super().get(key)


def test_item2_a_long_host_is_no_host() -> None:
    assert host_of("https://" + LONG_HOST + "/path") == ""
    assert host_of(LONG_HOST) == ""


def test_item2_host_matching_is_linear() -> None:
    packs = CountingDict({"example.org": SitePack("example.org")})
    assert pack_for_host(LONG_HOST, packs) is None
    assert packs.chars <= 253  # was ~10^10 characters joined and hashed
    host = ".".join(["x"] * 60) + ".example.org"
    assert pack_for_host(host, packs) == SitePack("example.org")
    assert packs.lookups <= 62
    assert packs.chars < 253 * 62


def test_item2_a_200_kb_url_field_cleans_as_without_one() -> None:
    cleaner = Cleaner.default()
    text = "Title of the story\n\nThe article says something worth keeping.\n\nSource link"
    long_url = "https://" + LONG_HOST + "/" + "p" * 1000
    assert cleaner.clean(text, url=long_url) == cleaner.clean(text)
    # Only the URL's first characters are read: junk after a real host does not hide it.
    assert host_of("https://www.thehill.com/" + "x/" * 100_000) == "thehill.com"
