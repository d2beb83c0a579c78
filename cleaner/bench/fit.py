"""Fit the signals' weights, the bias and the threshold on hand-labelled documents.

    cleaner rules fit FIT_MANIFEST [--check CHECK_MANIFEST] [--rules DIR] [--write]

A manifest line names an ``input`` text and its ``residue`` line numbers (of
``text.split("\\n")``), as ``benchmarks/labels/news-crawl/materialize.py`` writes them. Each
document is cleaned by the decisive rules first; the lines they keep are what the evidence stage
sees, so those are the training examples. A logistic regression (stochastic gradient descent,
L2, fixed seed and order: the same labels give the same weights) fits one weight per signal
and the bias. The L2 strength and the threshold are chosen by two-fold cross-validation by
site on the fit documents: the threshold is the lowest score at which content words kept stay
at or above ``--content-kept`` and line precision at or above ``--precision``; the L2 strength
is the one that then removes the most residue. ``--write`` rewrites each signal file's ``weight:`` line and
``evidence.yaml``; review the diff like any rule change. The report ends with a mass-check
table: each signal's hits on residue lines and on content lines.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from cleaner.engine.cleaner import Cleaner
from cleaner.engine.evidence import Judge
from cleaner.engine.learn import Learned, learn, recurrence_facts, registered_domain
from cleaner.rules.loader import builtin_rules_dir
from cleaner.rules.signals import EvidenceModel, load_evidence

SEED = 13
EPOCHS = 40
# The L2 strengths the cross-validation chooses among (stronger: rare signals trusted less).
L2_CHOICES = (0.001, 0.003, 0.01, 0.03, 0.1)
# A signal seen on a few residue lines only needs large steps to reach a weight that removes
# them alone within the epochs (0.1 left "views expressed …" lines below the threshold); the
# cross-validation on the fit half chose 0.3 over 0.1 (residue lines 0.26 -> 0.28 at 0.95).
LEARNING_RATE = 0.3


@dataclass(frozen=True, slots=True)
class Example:
    """One kept line: the signals that fired on it, whether it is residue, its word count."""

    site: str
    signals: tuple[str, ...]
    residue: bool
    words: int


def examples_of(manifest: Path, judge: Judge, cleaner: Cleaner, learned: Learned | None = None) -> list[Example]:
    """The kept lines of every document of ``manifest``, with their labels; with ``learned``
    (a crawl the documents come from), each line's site facts too."""
    out: list[Example] = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        url = record.get("url")
        shares = learned.sites.get(registered_domain(url)) if learned is not None and url else None
        raw = (manifest.parent / record["input"]).read_text(encoding="utf-8")
        residue_raw = set(record["residue"])
        raw_lines = raw.split("\n")
        labels = [i in residue_raw for i, text in enumerate(raw_lines) if text.strip()]
        result = cleaner.clean_and_explain(raw, url=record.get("url"))
        lines = result.normalized.split("\n")
        nonblank = [i for i, text in enumerate(lines) if text]
        if len(nonblank) != len(labels):
            continue  # normalising joined or split lines: labels cannot be carried over
        label_of = dict(zip(nonblank, labels, strict=True))
        # A document the guard refused still reached the evidence stage with these lines gone:
        # its would-be removals are ``refused``.
        gone = {i for r in result.removals or result.refused if r.columns is None for i in range(r.start, r.end)}
        kept = [i for i in nonblank if i not in gone]
        site = partial(recurrence_facts, shares) if shares is not None else None
        fired = judge.fired([lines[i] for i in kept], complete=True, site=site)
        for i, signals in zip(kept, fired, strict=True):
            out.append(
                Example(record.get("site", ""), tuple(s.id for s in signals), label_of[i], len(lines[i].split()))
            )
    return out


def train(examples: Sequence[Example], l2: float = L2_CHOICES[0]) -> tuple[dict[str, float], float]:
    """Weights by signal id and the bias, by SGD on the logistic loss (deterministic)."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(examples)))
    rng = random.Random(SEED)
    rate = LEARNING_RATE
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for k in order:
            example = examples[k]
            z = bias + sum(weights.get(s, 0.0) for s in example.signals)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            gradient = p - (1.0 if example.residue else 0.0)
            bias -= rate * gradient
            for s in example.signals:
                w = weights.get(s, 0.0)
                weights[s] = w - rate * (gradient + l2 * w)
        rate *= 0.92
    return {s: round(w, 3) for s, w in sorted(weights.items())}, round(bias, 3)


def score(weights: dict[str, float], bias: float, example: Example) -> float:
    return bias + sum(weights.get(s, 0.0) for s in example.signals)


@dataclass(frozen=True, slots=True)
class Figures:
    """Line and word figures of removing every line scoring at or above a threshold."""

    residue_lines: int
    removed_residue: int
    removed_content: int
    residue_words: int
    removed_residue_words: int
    content_words: int
    removed_content_words: int

    @property
    def precision(self) -> float:
        removed = self.removed_residue + self.removed_content
        return self.removed_residue / removed if removed else 1.0

    @property
    def recall(self) -> float:
        return self.removed_residue / self.residue_lines if self.residue_lines else 1.0

    @property
    def content_kept(self) -> float:
        return 1 - self.removed_content_words / self.content_words if self.content_words else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "residue_lines_removed": round(self.recall, 4),
            "residue_words_removed": round(self.removed_residue_words / max(1, self.residue_words), 4),
            "line_precision": round(self.precision, 4),
            "content_words_kept": round(self.content_kept, 5),
            "removed_residue_lines": self.removed_residue,
            "removed_content_lines": self.removed_content,
        }


def figures(scored: Sequence[tuple[float, Example]], threshold: float) -> Figures:
    counts = [0] * 7
    for value, example in scored:
        removed = value >= threshold
        if example.residue:
            counts[0] += 1
            counts[3] += example.words
            if removed:
                counts[1] += 1
                counts[4] += example.words
        else:
            counts[5] += example.words
            if removed:
                counts[2] += 1
                counts[6] += example.words
    return Figures(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6])


def _half_of(site: str) -> int:
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % 2


def cross_validated(examples: Sequence[Example], l2: float) -> list[tuple[float, Example]]:
    """Every example scored by a model fitted without its fold (two folds by site)."""
    scored: list[tuple[float, Example]] = []
    for fold in (0, 1):
        train_on = [e for e in examples if _half_of("fold" + e.site) != fold]
        weights, bias = train(train_on, l2)
        scored += [(score(weights, bias, e), e) for e in examples if _half_of("fold" + e.site) == fold]
    return scored


def lowest_threshold(scored: Sequence[tuple[float, Example]], content_kept: float, precision: float) -> float:
    """The lowest threshold (steps of 0.1) at which ``scored`` meets both targets."""
    for step in range(-20, 81):
        threshold = step / 10
        found = figures(scored, threshold)
        if found.content_kept >= content_kept and found.precision >= precision:
            return threshold
    return 8.0


def choose(examples: Sequence[Example], content_kept: float, precision: float) -> tuple[float, float]:
    """The L2 strength and threshold with the most residue removed in cross-validation while
    meeting both targets there (ties: the stronger L2)."""
    best: tuple[float, float, float] | None = None
    for l2 in L2_CHOICES:
        scored = cross_validated(examples, l2)
        threshold = lowest_threshold(scored, content_kept, precision)
        recall = figures(scored, threshold).recall
        if best is None or recall >= best[0]:
            best = (recall, l2, threshold)
    assert best is not None
    return best[1], best[2]


def choose_threshold(examples: Sequence[Example], content_kept: float, precision: float) -> float:
    """The lowest threshold meeting both targets on cross-validated scores at the first L2."""
    return lowest_threshold(cross_validated(examples, L2_CHOICES[0]), content_kept, precision)


def mass_check(examples: Sequence[Example], weights: dict[str, float]) -> list[tuple[str, int, int, float]]:
    """Each signal's hits on residue lines and on content lines, with its weight."""
    hits: dict[str, list[int]] = {}
    for example in examples:
        for s in example.signals:
            hits.setdefault(s, [0, 0])[0 if example.residue else 1] += 1
    return sorted(
        ((s, h[0], h[1], weights.get(s, 0.0)) for s, h in hits.items()), key=lambda row: (-row[1] - row[2], row[0])
    )


_WEIGHT_LINE = re.compile(r"(?m)^weight:.*$")


def write_weights(
    model: EvidenceModel,
    weights: dict[str, float],
    bias: float,
    threshold: float,
    rules_dir: Path,
    fitted: dict[str, object],
) -> None:
    """Rewrite the ``weight:`` line of each signal file and ``evidence.yaml``."""
    for signal in model.signals:
        path = Path(signal.source)
        text = path.read_text(encoding="utf-8")
        path.write_text(_WEIGHT_LINE.sub(f"weight: {weights.get(signal.id, 0.0)}", text, count=1), encoding="utf-8")
    lines = [
        "# The evidence model: a kept line is removed when bias + the weights of its signals",
        "# reach the threshold. Written by `cleaner rules fit --write`; review the diff.",
        f"bias: {bias}",
        f"threshold: {threshold}",
        "fitted:",
        *(f"  {key}: {json.dumps(value)}" for key, value in fitted.items()),
    ]
    (rules_dir / "evidence.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _sha256_of(path: Path) -> str:
    """The file's sha256, first 16 hex digits (as the labels' hash is recorded)."""
    with path.open("rb") as data:
        return hashlib.file_digest(data, "sha256").hexdigest()[:16]


def read_crawl(path: Path) -> Iterator[dict[str, object]]:
    """The records of a JSONL crawl (gzipped when the name ends in .gz) that hold a text."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                if isinstance(record, dict) and isinstance(record.get("text"), str):
                    yield record


def run_fit(
    manifest: Path,
    check: Path | None,
    rules: Path | None,
    content_kept: float,
    precision: float,
    *,
    write: bool,
    crawl: Path | None = None,
) -> int:
    """``cleaner rules fit``: fit, report (figures and the mass-check table), and with ``write``
    rewrite the signal files' weights and evidence.yaml. Returns the exit code.

    With ``crawl`` (the JSONL crawl the labelled documents come from), the crawl is learned
    first (as ``cleaner clean --learn`` does) and the site facts of the lines are fitted too."""
    rules_dir = rules or builtin_rules_dir()
    model = load_evidence([rules_dir])
    if model is None:
        print(f"{rules_dir} has no evidence.yaml", file=sys.stderr)
        return 2
    judge = Judge(model)
    decisive = Cleaner.default().with_config(evidence=False)
    learned = learn(read_crawl(crawl)) if crawl is not None else None
    fit_examples = examples_of(manifest, judge, decisive, learned)
    l2, threshold = choose(fit_examples, content_kept, precision)
    weights, bias = train(fit_examples, l2)
    report: dict[str, object] = {
        "documents": sum(1 for _ in manifest.read_text(encoding="utf-8").splitlines()),
        "lines": len(fit_examples),
        "residue_lines": sum(e.residue for e in fit_examples),
        "labels_sha256": hashlib.sha256(manifest.read_bytes()).hexdigest()[:16],
        **({"crawl": {"name": crawl.name, "sha256": _sha256_of(crawl)}} if crawl is not None else {}),
        "seed": SEED,
        "epochs": EPOCHS,
        "l2": l2,
        "targets": {"content_words_kept": content_kept, "line_precision": precision},
        "fit": figures([(score(weights, bias, e), e) for e in fit_examples], threshold).as_dict(),
    }
    if check is not None:
        check_examples = examples_of(check, judge, decisive, learned)
        report["check"] = figures([(score(weights, bias, e), e) for e in check_examples], threshold).as_dict()
    print(json.dumps({"bias": bias, "threshold": threshold, **report}, indent=1))
    print(f"{'signal':32} {'residue':>8} {'content':>8} {'weight':>7}")
    for name, on_residue, on_content, weight in mass_check(fit_examples, weights):
        print(f"{name:32} {on_residue:8} {on_content:8} {weight:7.2f}")
    if write:
        write_weights(model, weights, bias, threshold, rules_dir, report)
    return 0
