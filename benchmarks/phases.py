"""Where the text path spends its time: CPU seconds per phase of ``Cleaner.clean``.

    python benchmarks/phases.py                 # built-in rules, 20 MB perf corpus, warm
    python benchmarks/phases.py --rules 1000    # plus 1,000 generated rules
    python benchmarks/phases.py --mb 5 --cold   # time the first pass (cold RE2 DFA, lazy compiles)

The corpus is ``perf.build_corpus`` (seeds and ../shared/corpora inputs with residue lines).
Each phase is timed by wrapping its function with a CPU clock, so the figures include a
small wrapper cost (~1 us a call) and the total is a little above an unwrapped run; use them
to compare phases, and ``perf.py`` for throughput. By default one untimed pass warms the RE2
DFA and compiles the lazy patterns first, as a long run would have.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import perf  # noqa: E402
import rulegen  # noqa: E402

import cleaner.engine.cleaner as engine  # noqa: E402
import cleaner.engine.prefilter as prefilter  # noqa: E402
from cleaner import Cleaner  # noqa: E402
from cleaner.kinds.block import BlockMatcher  # noqa: E402
from cleaner.kinds.head import HeadMatcher  # noqa: E402
from cleaner.kinds.line import LineMatcher  # noqa: E402
from cleaner.kinds.repeat import RepeatMatcher  # noqa: E402
from cleaner.kinds.run import RunMatcher  # noqa: E402
from cleaner.kinds.span import SpanMatcher  # noqa: E402
from cleaner.kinds.tail import TailMatcher  # noqa: E402

# (object, attribute, label): the functions whose CPU time is a phase.
PHASES: list[tuple[Any, str, str]] = [
    (engine, "normalize_text", "normalise (ftfy gate, strip, collapse)"),
    (engine.Cleaner, "_site", "site detection"),
    (prefilter.Prefilter, "select_lines", "rule selection (RE2 sets, line gates)"),
    (prefilter._Set, "match", "  of which RE2 set matches"),
    (LineMatcher, "find", "line rules"),
    (SpanMatcher, "find", "span rules"),
    (TailMatcher, "find", "tail rules"),
    (HeadMatcher, "find", "head rules"),
    (BlockMatcher, "find", "block rules"),
    (RunMatcher, "find", "run rules"),
    (RepeatMatcher, "find", "repeat rules"),
    (engine, "_settled", "removals settled"),
    (engine.Cleaner, "_guarded", "guard and replay"),
]


def _timed(function: Callable[..., Any], label: str, spent: Counter[str]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    return wrapper


def measure(cleaner: Cleaner, docs: Sequence[str], *, warm: bool = True) -> tuple[float, Counter[str]]:
    """Total CPU seconds of cleaning ``docs`` and the seconds spent in each phase."""
    if warm:
        for doc in docs:
            cleaner.clean(doc)
    spent: Counter[str] = Counter()
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in PHASES]
    try:
        for owner, name, label in PHASES:
            setattr(owner, name, _timed(getattr(owner, name), label, spent))
        start = time.process_time()
        for doc in docs:
            cleaner.clean(doc)
        total = time.process_time() - start
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)
    return total, spent


def table(total: float, spent: Counter[str], mb: float) -> str:
    """The phases as a text table, in the order of PHASES, with what no phase covers."""
    rows = [f"{'phase':42s} {'CPU s':>7s} {'share':>6s}"]
    outside = total
    for _, _, label in PHASES:
        seconds = spent.get(label, 0.0)
        if not label.startswith(" "):
            outside -= seconds
        rows.append(f"{label:42s} {seconds:7.3f} {seconds / total:6.1%}")
    rows.append(f"{'everything else (split, passes, results)':42s} {outside:7.3f} {outside / total:6.1%}")
    rows.append(f"{'total':42s} {total:7.3f}  {mb / total:.2f} MB/s on {mb:.1f} MB")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size (default 20)")
    parser.add_argument("--rules", type=int, default=0, help="generated rules on top of the built-ins (default 0)")
    parser.add_argument("--cold", action="store_true", help="time the first pass instead of a warm one")
    args = parser.parse_args(argv)
    docs = perf.build_corpus(args.mb, seed=5)
    if args.rules:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            cleaner = Cleaner.from_paths([rulegen.write(args.rules, Path(tmp))])
            total, spent = measure(cleaner, docs, warm=not args.cold)
    else:
        total, spent = measure(Cleaner.default(), docs, warm=not args.cold)
    print(table(total, spent, perf._mb(docs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
