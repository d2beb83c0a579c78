"""Issue 15, item 16: the quality gate gates, wherever the shared corpora lie.

A corpus is pinned under a name that does not change when ``../shared`` is a symlink (as CI
may lay it out), and a corpus ``--baseline`` has no entry for fails the gate unless
``--allow-unpinned`` says otherwise.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from cleaner.bench.baseline import corpus_key

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", "bench", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False, timeout=300,
    )


def shared_corpus(shared: Path) -> Path:
    """The seeds laid out as a shared corpus: ``shared/corpora/seeds/manifest.jsonl``."""
    folder = shared / "corpora" / "seeds"
    shutil.copytree(ROOT / "seeds", shared / "corpora" / "inputs")
    shutil.copytree(ROOT / "benchmarks" / "gold", folder / "gold")
    lines = (ROOT / "benchmarks" / "seeds.jsonl").read_text(encoding="utf-8").replace("../seeds/", "../inputs/")
    (folder / "manifest.jsonl").write_text(lines, encoding="utf-8")
    return folder / "manifest.jsonl"


def test_the_key_is_the_same_through_a_symlinked_shared_folder(tmp_path: Path) -> None:
    real = shared_corpus(tmp_path / "elsewhere" / "shared")
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "shared").symlink_to(tmp_path / "elsewhere" / "shared")
    baseline = tmp_path / "ci" / "repo" / "benchmarks" / "baseline.json"
    through_link = tmp_path / "ci" / "repo" / ".." / "shared" / "corpora" / "seeds" / "manifest.jsonl"
    assert corpus_key(through_link, baseline, "..") == "corpora/seeds/manifest.jsonl"
    assert corpus_key(real, baseline, "..") == "corpora/seeds/manifest.jsonl"
    assert corpus_key(ROOT / "benchmarks" / "seeds.jsonl", ROOT / "benchmarks" / "baseline.json", "..") == (
        "benchmarks/seeds.jsonl"
    )


def test_a_regression_fails_the_gate_when_shared_is_a_symlink(tmp_path: Path) -> None:
    # Pinned on a machine where ../shared is a folder (loose gold check, as the shared corpora are)...
    dev = tmp_path / "dev"
    dev_manifest = shared_corpus(dev / "shared")
    dev_baseline = dev / "repo" / "benchmarks" / "baseline.json"
    dev_baseline.parent.mkdir(parents=True)
    dev_baseline.write_text('{"version": 1, "epsilon": 0.0005, "root": "..", "corpora": {}}', encoding="utf-8")
    pinned = bench(dev_manifest, "--baseline", dev_baseline, "--update-baseline", "--gold-check", "loose")
    assert pinned.returncode == 0, pinned.stderr
    assert list(json.loads(dev_baseline.read_text(encoding="utf-8"))["corpora"]) == ["corpora/seeds/manifest.jsonl"]
    # ... checked in CI, where ../shared is a symlink to it, with a real regression (no rules at all).
    ci = tmp_path / "ci"
    (ci / "repo" / "benchmarks").mkdir(parents=True)
    (ci / "shared").symlink_to(dev / "shared")
    shutil.copy(dev_baseline, ci / "repo" / "benchmarks" / "baseline.json")
    manifest = ci / "repo" / ".." / "shared" / "corpora" / "seeds" / "manifest.jsonl"
    result = bench(manifest, "--baseline", ci / "repo" / "benchmarks" / "baseline.json", "--no-builtin-rules")
    assert result.returncode == 1, result.stderr
    assert "removal.line_recall 0.0000 is below its floor" in result.stderr
    # The pinned gold-check mode was found the same way (strict would reject the loose gold... or not:
    # either way the mode must not be reported as a mismatch).
    assert "pinned with --gold-check" not in result.stderr


def test_an_unpinned_corpus_fails_the_gate_unless_allowed(tmp_path: Path) -> None:
    manifest = shared_corpus(tmp_path / "shared")
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"version": 1, "root": ".", "corpora": {}}', encoding="utf-8")
    refused = bench(manifest, "--baseline", baseline)
    assert refused.returncode == 1
    assert "corpora/seeds/manifest.jsonl: not pinned" in refused.stderr
    assert "--allow-unpinned" in refused.stderr
    allowed = bench(manifest, "--baseline", baseline, "--allow-unpinned")
    assert allowed.returncode == 0, allowed.stderr
    assert "not gated" in allowed.stderr


def test_a_baseline_with_the_old_keys_is_still_read(tmp_path: Path) -> None:
    manifest = shared_corpus(tmp_path / "shared")
    baseline = tmp_path / "repo" / "baseline.json"
    baseline.parent.mkdir()
    baseline.write_text('{"version": 1, "root": ".", "corpora": {}}', encoding="utf-8")
    assert bench(manifest, "--baseline", baseline, "--update-baseline").returncode == 0
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["corpora"] = {"../shared/corpora/seeds/manifest.jsonl": data["corpora"]["corpora/seeds/manifest.jsonl"]}
    baseline.write_text(json.dumps(data), encoding="utf-8")
    result = bench(manifest, "--baseline", baseline, "--no-builtin-rules")
    assert result.returncode == 1
    assert "below its floor" in result.stderr
