"""The quality gate: pinned floors per corpus in ``baseline.json``, which only ever rise.

A baseline maps each corpus to the hash of what was scored and the floors of its metrics.
A corpus is keyed by a name that does not depend on where the checkout or the shared
corpora happen to lie, nor on symlinks (see :func:`corpus_key`): a manifest inside ``root``
(relative to the baseline file) by its path from there, one outside it by its path from the
nearest folder named ``corpora`` (``corpora/tiptopjaw/manifest.jsonl``)::

    {"version": 1, "epsilon": 0.0005, "root": "..",
     "corpora": {"benchmarks/seeds.jsonl": {"hash": "sha256:...", "documents": 5,
                 "gold_check": "strict", "floors": {"removal.line_precision": 1.0, ...}}}}

The gate fails when a floor is undercut by more than ``epsilon`` or a corpus changed since it
was pinned; the failure names the documents and rules behind the drop.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.bench.harness import CorpusScore
from cleaner.core.errors import InputError

EPSILON = 0.0005
# Text-path figures only: the HTML path is slower and measures trafilatura as much as us.
PINNED = (
    "removal.line_precision",
    "removal.char_precision",
    "removal.line_recall",
    "removal.char_recall",
    "tokens.output.f1",
    "exact.output",
    "snippets.output.with_kept",
    "snippets.output.without_removed",
)
_SHOWN = 8


@dataclass(slots=True)
class GateOutcome:
    """Failures make the gate exit 1; notes are printed and change nothing."""

    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    baseline: dict[str, Any] | None = None


def load_baseline(path: Path, *, missing_ok: bool = False) -> dict[str, Any]:
    """Read a baseline file; a missing one is an empty baseline only when ``missing_ok``."""
    if not path.exists():
        if missing_ok:
            return {"version": 1, "epsilon": EPSILON, "root": ".", "corpora": {}}
        raise InputError(f"baseline {path} not found; create it with --update-baseline")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read baseline {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("corpora"), dict):
        raise InputError(f'baseline {path} has no "corpora" object; see `cleaner bench --help`')
    return data


def corpus_key(manifest: Path, baseline_path: Path, root: str) -> str:
    """The name a corpus is pinned under: stable wherever the corpora lie, symlinks or not.

    Paths are made absolute without resolving symlinks (a ``../shared`` that is a symlink in CI
    must give the same key as a real folder). A manifest inside the baseline's root is keyed by
    its path from there; one outside it by its path from the nearest folder named ``corpora``
    (the shared corpora root), else by its path from the root.

    >>> corpus_key(Path("/ci/shared/corpora/x/manifest.jsonl"), Path("/ci/repo/benchmarks/b.json"), "..")
    'corpora/x/manifest.jsonl'
    >>> corpus_key(Path("/ci/repo/benchmarks/seeds.jsonl"), Path("/ci/repo/benchmarks/b.json"), "..")
    'benchmarks/seeds.jsonl'
    """
    base = os.path.abspath(baseline_path.parent / root)
    path = Path(os.path.abspath(manifest))
    relative = Path(os.path.relpath(path, base))
    if relative.parts[:1] != ("..",):
        return relative.as_posix()
    for parent in path.parents:
        if parent.name == "corpora":
            return "corpora/" + path.relative_to(parent).as_posix()
    return relative.as_posix()


def _legacy_key(manifest: Path, baseline_path: Path, root: str) -> str:
    # How baselines before 0.x keyed corpora (symlinks resolved): still read, never written.
    base = (baseline_path.parent / root).resolve()
    return Path(os.path.relpath(manifest.resolve(), base)).as_posix()


def pinned_entry(baseline: dict[str, Any], manifest: Path, baseline_path: Path) -> tuple[str, dict[str, Any] | None]:
    """The corpus's key and its pinned entry in ``baseline`` (None when it is not pinned)."""
    root = str(baseline.get("root", "."))
    corpora = baseline.get("corpora", {})
    key = corpus_key(manifest, baseline_path, root)
    entry = corpora.get(key)
    if entry is None:
        entry = corpora.get(_legacy_key(manifest, baseline_path, root))
    return key, entry if isinstance(entry, dict) else None


def _floor(value: float) -> float:
    # Rounded down, so that re-running the pinned rules always meets its own floor.
    return math.floor(value * 1e6) / 1e6


def _short(text: str, width: int = 90) -> str:
    text = text.replace("\n", " ")
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def culprits(score: CorpusScore, metric: str) -> list[str]:
    """The documents (and rules) behind a metric: what to look at when it drops."""
    lines: list[str] = []
    name = score.corpus.name
    if "precision" in metric or metric.startswith(("tokens", "exact")):
        fps = [fp for doc in score.docs for fp in doc.false_positives]
        for fp in fps[:_SHOWN]:
            lines.append(
                f"{name}: document {fp.doc} line {fp.line}: rule {fp.rule} removed gold content {_short(fp.text)}"
            )
        if len(fps) > _SHOWN:
            lines.append(f"... and {len(fps) - _SHOWN} more false positives (see --explain)")
    if "recall" in metric or metric.startswith(("tokens", "exact")):
        missed = [(doc.id, line, text) for doc in score.docs for line, text in doc.missed]
        for doc_id, line, text in missed[:_SHOWN]:
            lines.append(f"{name}: document {doc_id} line {line}: residue left in {_short(text)}")
        if len(missed) > _SHOWN:
            lines.append(f"... and {len(missed) - _SHOWN} more residue lines missed (see --explain)")
    if metric.startswith("snippets"):
        for doc in score.docs:
            s = doc.after.snippets
            if s is None:
                continue
            if "with" in metric and s.with_kept < s.with_total:
                lines.append(
                    f"{name}: document {doc.id}: {s.with_total - s.with_kept} 'with' snippet(s) not in the output"
                )
            if "without" in metric and s.without_removed < s.without_total:
                lines.append(f"{name}: document {doc.id}: {s.without_total - s.without_removed} "
                             "'without' snippet(s) still in the output")
    return lines


def check(
    scores: list[CorpusScore], baseline: dict[str, Any], baseline_path: Path, *, allow_unpinned: bool = False
) -> GateOutcome:
    """Compare each corpus with its pinned entry; a corpus not pinned fails unless ``allow_unpinned``."""
    outcome = GateOutcome()
    epsilon = float(baseline.get("epsilon", EPSILON))
    for score in scores:
        key, entry = pinned_entry(baseline, score.corpus.path, baseline_path)
        if entry is None:
            message = f"{key}: not pinned in {baseline_path}; pin it with --update-baseline"
            if allow_unpinned:
                outcome.notes.append(message + " (not gated: --allow-unpinned)")
            else:
                outcome.failures.append(message + ", or pass --allow-unpinned to score it ungated")
            continue
        if entry.get("gold_check", "strict") != score.gold_check:
            outcome.failures.append(
                f"{key}: pinned with --gold-check {entry.get('gold_check', 'strict')}, run with {score.gold_check}"
            )
            continue
        if entry.get("hash") != score.corpus.hash:
            outcome.failures.append(
                f"{key}: corpus changed since it was pinned (hash {score.corpus.hash[:19]}..., pinned "
                f"{str(entry.get('hash'))[:19]}...): review the change, then re-pin with --update-baseline"
            )
        metrics = score.metrics()
        for metric, floor in sorted(entry.get("floors", {}).items()):
            value = metrics.get(metric)
            if value is None:
                outcome.failures.append(f"{key}: {metric} is pinned but was not measured")
            elif value < float(floor) - epsilon:
                detail = "\n  ".join(culprits(score, metric))
                outcome.failures.append(
                    f"{key}: {metric} {value:.4f} is below its floor {float(floor):.4f}"
                    + (f"\n  {detail}" if detail else "")
                )
    return outcome


def update(
    scores: list[CorpusScore], baseline: dict[str, Any], baseline_path: Path, *, allow_regression: bool = False
) -> GateOutcome:
    """Raise floors to the measured figures; refuse to lower one unless allowed."""
    outcome = GateOutcome()
    epsilon = float(baseline.get("epsilon", EPSILON))
    root = str(baseline.get("root", "."))
    corpora = dict(baseline["corpora"])
    for score in scores:
        key, found = pinned_entry(baseline, score.corpus.path, baseline_path)
        corpora.pop(_legacy_key(score.corpus.path, baseline_path, root), None)
        old = found or {}
        same_mode = old.get("gold_check", score.gold_check) == score.gold_check
        old_floors = old.get("floors", {}) if same_mode else {}
        floors: dict[str, float] = {}
        for metric, value in score.metrics().items():
            if metric not in PINNED:
                continue
            new = _floor(value)
            before = old_floors.get(metric)
            if before is None or new >= float(before):
                floors[metric] = new
            elif new >= float(before) - epsilon:
                floors[metric] = float(before)  # within noise: keep the floor where it was
            elif allow_regression:
                floors[metric] = new
                outcome.notes.append(
                    f"{key}: {metric} lowered from {float(before):.4f} to {new:.4f} (--allow-regression)"
                )
            else:
                floors[metric] = float(before)
                detail = "\n  ".join(culprits(score, metric))
                outcome.failures.append(
                    f"{key}: refusing to lower {metric} from {float(before):.4f} to {new:.4f}; "
                    "fix the regression or pass --allow-regression" + (f"\n  {detail}" if detail else "")
                )
        if old and old.get("hash") != score.corpus.hash:
            outcome.notes.append(f"{key}: corpus hash re-pinned ({score.corpus.hash[:19]}...)")
        corpora[key] = {
            "hash": score.corpus.hash, "documents": len(score.docs), "gold_check": score.gold_check, "floors": floors,
        }
    outcome.baseline = {**baseline, "corpora": dict(sorted(corpora.items()))}
    return outcome


def save_baseline(path: Path, baseline: dict[str, Any]) -> None:
    """Write the baseline with stable formatting, so diffs show exactly which floor moved."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(baseline, indent=2, sort_keys=False) + "\n", encoding="utf-8")
