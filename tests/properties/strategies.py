"""Documents that look like scraped articles: real prose mixed with real residue lines.

Prose comes from the hand-labelled gold files and the rules' own ``no_match`` examples
(real sentences that must survive); residue comes from the rules' ``examples.match``, so
every rule has material to fire on. Titles get site-name suffixes and section labels.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from cleaner.rules.loader import builtin_rules_dir, load_dirs

ROOT = Path(__file__).resolve().parents[2]
_LOADED = load_dirs([builtin_rules_dir()])

PROSE: tuple[str, ...] = tuple(
    sorted(
        {
            line.strip()
            for path in sorted((ROOT / "benchmarks" / "gold").glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines()
            if len(line.split()) >= 4
        }
        | {ex for rule in _LOADED.rules for ex in rule.examples.no_match}
    )
)
RESIDUE: tuple[str, ...] = tuple(sorted({ex for rule in _LOADED.rules for ex in rule.examples.match}))
TITLES: tuple[str, ...] = tuple(line for line in PROSE if len(line) < 120) or ("A title",)
SITE_NAMES: tuple[str, ...] = tuple(sorted({name for pack in _LOADED.packs for name in pack.names}))
SECTION_LABELS = ("Politics", "World News", "Middle East", "Opinion", "Health")

prose = st.sampled_from(PROSE)
residue = st.sampled_from(RESIDUE)


@st.composite
def titles(draw: st.DrawFn) -> list[str]:
    """A title line, maybe with a site-name suffix, maybe under a section label, maybe repeated."""
    title = draw(st.sampled_from(TITLES))
    if SITE_NAMES and draw(st.booleans()):
        title += draw(st.sampled_from([" - ", " | ", " – "])) + draw(st.sampled_from(SITE_NAMES))
    lines = [title]
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(SECTION_LABELS)))
    if draw(st.integers(0, 3)) == 0:
        lines.append(title)
    return lines


@st.composite
def articles(draw: st.DrawFn) -> str:
    """A whole document: title block, then prose and residue lines in any mix and order."""
    lines = draw(titles())
    body = draw(st.lists(st.one_of(prose, prose, residue), min_size=0, max_size=20))
    lines += body
    separator = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n\n\n"]))
    return separator.join(lines)


# Any str at all: surrogates, control characters, NUL, lone CR, BOM, U+2028.
any_text = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=300),
    st.text(st.characters(exclude_categories=()), max_size=300),
    st.text(st.sampled_from("a \n\r\t\x00\ufeff\u2028\x85\u00a0é–|Â€™\ud800"), max_size=300),
    st.text(st.sampled_from("a \n\r\t\x00\ufeff\u2028\x85\u00a0é–|Â€™\ud800"), max_size=300),
    # Long lines, now and then: up to 20,000 characters.
    st.builds(lambda unit, n: unit * n, st.text(min_size=1, max_size=20), st.integers(100, 1000)),
)
