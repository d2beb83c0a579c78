"""Generate realistic rule packs of any size, for the performance benchmark and its tests.

The rules look like the residue real packs catch: templates ("Follow X on Twitter",
"Read more about Y", "This story first appeared on X") crossed with invented site names and
topics, so a thousand rules carry a thousand different literal keywords. Most are ``line``
rules; some are ``tail``, ``span`` and ``block``; a few use ``regex``-only syntax
(fuzzy matching) that RE2 cannot take, when asked, to measure the fallback path.

    python benchmarks/rulegen.py 1000 /tmp/rules-1000 [FALLBACK]   # writes /tmp/rules-1000/common/*.yaml
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

_FIRST = ["Daily", "Morning", "Evening", "Metro", "Valley", "Coastal", "National", "Global", "City", "County",
          "Northern", "Western", "Capital", "Harbor", "Prairie", "Summit", "River", "Lakeside", "Union", "Frontier"]
_SECOND = ["Ledger", "Tribune", "Herald", "Gazette", "Post", "Times", "Observer", "Courier", "Chronicle", "Journal",
           "Sentinel", "Record", "Dispatch", "Star", "Bulletin", "Review", "Monitor", "Register", "Beacon", "Press"]
_TOPICS = ["climate", "elections", "housing", "immigration", "energy", "health care", "education", "crime",
           "technology", "the economy", "foreign policy", "sports", "transport", "agriculture", "the courts",
           "wildfires", "inflation", "jobs", "science", "culture", "the budget", "water", "labor", "trade"]
_NETWORKS = ["Twitter", "X", "Facebook", "Instagram", "TikTok", "LinkedIn", "YouTube", "Threads", "Bluesky"]

# (kind, pattern template, residue line template); {site}, {topic}, {net} are filled in.
_TEMPLATES: list[tuple[str, str, str]] = [
    ("line", r"(?i)follow (?:the )?{site} on {net}\W*", "Follow {site} on {net}!"),
    ("line", r"(?i)read more (?:about|on) {topic}(?: from {site})?\W*", "Read more about {topic}"),
    ("line", r"(?i)sign up for (?:the )?{site}(?:'s)? (?:daily|weekly|morning) (?:briefing|digest|newsletter)\W*",
     "Sign up for the {site} daily newsletter."),
    ("line", r"(?i)(?:this|the) (?:article|story|post) (?:first appeared|was originally published) (?:on|in|at) "
             r"(?:the )?{site}\b.{{0,60}}", "This story first appeared on {site}."),
    ("line", r"(?i)(?:photo|image)(?: credit)?\s*:\s*{site}(?:/[\w ]{{1,30}})?", "Photo: {site}/Staff"),
    ("line", r"(?i)more {topic} (?:news|coverage|stories) from {site}\W*", "More {topic} news from {site}"),
    ("line", r"(?i)(?:download|get) the {site} app\b.{{0,60}}", "Download the {site} app for breaking news"),
    ("line", r"(?i){site} (?:is|remains) (?:a )?(?:reader|member)-supported\b.{{0,80}}",
     "{site} is reader-supported. Become a member today."),
    ("line", r"(?i)listen to (?:the )?{site} podcast(?: on {net})?\W*", "Listen to the {site} podcast"),
    ("line", r"(?i)(?:tips|news tips)\? (?:email|contact) (?:us at )?[\w.]+@{dom}\.\w{{2,4}}\W*",
     "Tips? Email us at news@{dom}.com"),
    ("tail", r"(?i)more (?:from|on) {site}\W*", "More from {site}"),
    ("tail", r"(?i)(?:latest|trending) (?:on|in) {topic}\W*", "Trending in {topic}"),
    ("span", r"\s*[-\u2013|]\s*{site} (?:news|online|daily)\s*$", "Storm hits coast - {site} news"),
    ("block", r"(?i)(?:subscribe to|support) {site}\W*", "Support {site}"),
    ("line", r"(?i)advertisement\p{{P}}*\s*{site}", "Advertisement: {site}"),
    # regex-only fuzzy matching: no RE2 translation, so these run rule by rule on every text.
    ("line", r"(?i)(?:sponsored content from {site}){{e<=1}}", "Sponsored content from {site}"),
]
_PROSE = [
    "The council voted on Tuesday to extend the program for another three years.",
    "Officials said the new rules would take effect early next spring, pending review.",
]


def _escape(text: str) -> str:
    return text.replace("'", "''")


def _fill(template: str, site: str, topic: str, net: str) -> str:
    dom = site.lower().replace(" ", "")
    return template.format(site=site, topic=topic, net=net, dom=dom)


def generate(count: int, seed: int = 7, fallback: int = 0) -> dict[str, str]:
    """``count`` rule files as ``{file name: YAML text}``, the same for the same arguments.

    ``fallback`` of them (spread evenly) use fuzzy matching, which RE2 cannot take.
    """
    rng = random.Random(seed)
    sites = [f"{a} {b}" for a in _FIRST for b in _SECOND]
    rng.shuffle(sites)
    regular = [t for t in _TEMPLATES if "{{e<=" not in t[1]]
    fallback_templates = [t for t in _TEMPLATES if "{{e<=" in t[1]]
    files: dict[str, str] = {}
    for n in range(count):
        pool = fallback_templates if fallback and n % max(1, count // fallback) == 0 else regular
        kind, pattern, residue = pool[rng.randrange(len(pool))]
        site = sites[n % len(sites)]
        topic, net = rng.choice(_TOPICS), rng.choice(_NETWORKS)
        rule_id = f"gen-{n:04d}"
        lines = [
            f"id: {rule_id}",
            f"summary: Generated {kind} rule number {n} for the performance benchmark",
            f"kind: {kind}",
            f"{'start' if kind == 'block' else 'pattern'}: '{_escape(_fill(pattern, site, topic, net))}'",
        ]
        if kind in ("line", "tail", "block"):
            lines.append("max_chars: 200")
        if kind == "block":
            lines.append("max_lines: 4")
        example = _fill(residue, site, topic, net)
        lines += ["examples:", "  match:", f"    - '{_escape(example)}'"]
        lines += ["  no_match:", *[f"    - '{p}'" for p in _PROSE]]
        files[f"{rule_id}.yaml"] = "\n".join(lines) + "\n"
    return files


def residue_lines(count: int, seed: int = 7) -> list[str]:
    """Lines that generated rules catch, to sprinkle into a benchmark corpus."""
    rng = random.Random(seed + 1)
    sites = [f"{a} {b}" for a in _FIRST for b in _SECOND]
    out = []
    for _ in range(count):
        _kind, _pattern, residue = rng.choice(_TEMPLATES)
        out.append(_fill(residue, rng.choice(sites), rng.choice(_TOPICS), rng.choice(_NETWORKS)))
    return out


def write(count: int, root: Path, seed: int = 7, fallback: int = 0) -> Path:
    """Write a rules directory (``root/common/*.yaml``) and return ``root``."""
    common = root / "common"
    common.mkdir(parents=True, exist_ok=True)
    for name, text in generate(count, seed, fallback).items():
        (common / name).write_text(text, encoding="utf-8")
    return root


if __name__ == "__main__":
    print(write(int(sys.argv[1]), Path(sys.argv[2]), fallback=int(sys.argv[3]) if len(sys.argv) > 3 else 0))
