"""Shared helpers for the mining tests: the synthetic sites and generated prose."""

from __future__ import annotations

from pathlib import Path

from cleaner.mine.miner import Page

FIXTURES = Path(__file__).parent / "fixtures" / "mine"
SITES = ("riverbend-gazette.example", "lumen-tech.example", "hearth-kitchen.example")

_SUBJECTS = ["harbour master", "county surveyor", "youngest ferry pilot", "old miller", "parish clerk",
             "visiting botanist", "night nurse", "retired engineer", "market gardener", "school caretaker",
             "choir director", "lock keeper", "lighthouse painter"]
_VERBS = ["described", "questioned", "photographed", "measured", "defended", "repaired", "mapped", "recorded",
          "explained"]
_OBJECTS = ["flooded towpath", "crumbling sea wall", "new reading room", "silted mill pond", "cracked bell tower",
            "abandoned signal box", "winter timetable", "orchard boundary", "narrow stone bridge", "tidal meadow",
            "brewery yard"]


def prose(page: int, paragraph: int) -> str:
    """A sentence of article prose that differs from page to page and paragraph to paragraph."""
    subject = _SUBJECTS[(page * 3 + paragraph) % len(_SUBJECTS)]
    verb = _VERBS[(page + paragraph * 2) % len(_VERBS)]
    thing = _OBJECTS[(page * 5 + paragraph * 7) % len(_OBJECTS)]
    return f"The {subject} {verb} the {thing} for visitors who had come a long way to see it before the storms."


def title(page: int) -> str:
    return f"The {_OBJECTS[page % len(_OBJECTS)]} and the {_SUBJECTS[page % len(_SUBJECTS)]}"


def article(page: int, paragraphs: int = 5) -> list[str]:
    return [title(page), *(prose(page, k) for k in range(paragraphs))]


def site_pages(site: str, numbers: range) -> list[Page]:
    """Pages ``numbers`` (1-based) of a synthetic site, as mining reads them."""
    folder = FIXTURES / site / "pages"
    names = [f"synthetic-{n:02d}.txt" for n in numbers]
    return [Page(name, (folder / name).read_text(encoding="utf-8")) for name in names]


def expected_text(site: str, number: int) -> str:
    return (FIXTURES / site / "expected" / f"synthetic-{number:02d}.txt").read_text(encoding="utf-8")


def page_text(site: str, number: int) -> str:
    return (FIXTURES / site / "pages" / f"synthetic-{number:02d}.txt").read_text(encoding="utf-8")
