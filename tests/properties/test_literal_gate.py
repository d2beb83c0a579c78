"""The literal gate is sound: a text holding a line a built-in pattern matches always passes it.

Lines are drawn from each pattern itself (``st.from_regex`` on the pattern with its site
names bound), then characters are swapped for case partners ``regex`` matches under
``(?i)`` (Kelvin sign, long s, dotted and dotless I...), then ``regex`` decides whether the
line matches: when it does, the gate must pass for any text around it.
"""

from __future__ import annotations

import functools

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.match.lazy import compile_pattern
from cleaner.match.literals import fold, may_match, required_literals
from cleaner.match.re2 import cases
from cleaner.match.sitenames import bind_site_names
from cleaner.rules.loader import builtin_rules_dir, load_dirs

_LOADED = load_dirs([builtin_rules_dir()])
_NAMES = sorted({name for pack in _LOADED.packs for name in pack.names}, key=lambda n: (-len(n), n))
_BUILTIN = sorted(
    {value for rule in _LOADED.rules for key, value in rule.options if key in ("pattern", "start", "end")}
    | {pattern for pack in _LOADED.packs for pattern in pack.detect}
)
# Patterns whose letters have case partners that casefold apart (or need _FOLD_FIX).
_TRICKY_PATTERNS = ["(?i)straße", "(?i)this is it", "(?i)kelvin", "(?i)spread it", "(?i)σας", "(?i)ǅungla",
                    "Straße", "(?i)[ßk]xy", "(?i)tIS"]
# One draw in three is a tricky pattern.
_PATTERNS = st.sampled_from(_BUILTIN) | st.sampled_from(_BUILTIN) | st.sampled_from(_TRICKY_PATTERNS)
# Characters whose case partners are the tricky ones, and text to put around a line.
_TRICKY = "kKsSiIıİßẞ\u212a\u017fµΣσςÅå\u212b"
_AROUND = st.text(alphabet=st.sampled_from("ab .:\n" + _TRICKY), max_size=12)


@functools.cache
def _lines_of(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(bind_site_names(pattern, _NAMES), fullmatch=True)


@st.composite
def _matching(draw: st.DrawFn) -> tuple[str, str]:
    pattern = draw(_PATTERNS)
    line = draw(_lines_of(pattern))
    # One draw for all the swaps: a draw per character made each example ~4x slower.
    rng = draw(st.randoms(use_true_random=False))
    swapped = [rng.choice(sorted({char, *map(chr, cases(ord(char)))})) for char in line]
    return pattern, "".join(swapped)


# Drawing lines from 46 patterns costs ~8 ms an example: the ci profile's 10,000 would take
# 80 s, so this property runs at most 2,000 (all of them with the default profile's 200).
@settings(max_examples=min(settings.default.max_examples, 2_000))
@given(_matching(), _AROUND, _AROUND)
def test_a_text_holding_a_match_passes_the_gate(case: tuple[str, str], before: str, after: str) -> None:
    pattern, line = case
    if compile_pattern(pattern, _NAMES).search(line) is None:
        return  # the swap (or a difference between re and regex) lost the match: nothing to check
    text = f"{before}\n{line}\n{after}"
    assert may_match(required_literals(pattern, _NAMES), fold(text)), (pattern, line)


@given(_PATTERNS, st.text(alphabet=st.sampled_from("readlsoRDALSO :-|" + _TRICKY), max_size=30))
def test_random_lines_that_match_pass_the_gate(pattern: str, line: str) -> None:
    if compile_pattern(pattern, _NAMES).search(line) is not None:
        assert may_match(required_literals(pattern, _NAMES), fold(line)), (pattern, line)
