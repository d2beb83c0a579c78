"""The evidence fit: reproducible, separates what the labels separate, writes reviewable files."""

from __future__ import annotations

import json
from pathlib import Path

from cleaner.bench.fit import Example, choose_threshold, figures, run_fit, score, train
from cleaner.rules.signals import load_evidence


def test_the_fit_is_reproducible_and_separates_a_clear_signal() -> None:
    examples = [Example(f"s{i % 7}", ("ad",) if i % 5 == 0 else ("prose",), i % 5 == 0, 3) for i in range(300)]
    first, again = train(examples), train(examples)
    assert first == again
    weights, bias = first
    assert score(weights, bias, examples[0]) > 0 > score(weights, bias, examples[1])
    found = figures([(score(weights, bias, e), e) for e in examples], 0.0)
    assert found.recall == 1.0 and found.precision == 1.0
    threshold = choose_threshold(examples, 0.999, 0.95)
    assert figures([(score(weights, bias, e), e) for e in examples], threshold).precision >= 0.95


def test_run_fit_writes_weights_and_the_model(tmp_path: Path, capsys: object) -> None:
    rules = tmp_path / "rules"
    (rules / "signals").mkdir(parents=True)
    (rules / "evidence.yaml").write_text("bias: 0\nthreshold: 0\n", encoding="utf-8")
    (rules / "signals" / "label.yaml").write_text(
        "id: label\nfamily: ads\nsummary: 'An ad label'\npattern: '^Zorb deals today$'\nweight: 0.0\n", encoding="utf-8"
    )
    prose = "The council met on Tuesday and voted to fund the new library, which opens next spring in the town."
    lines = []
    for n in range(12):
        text = f"{prose}\n\nZorb deals today\n\n{prose.replace('library', f'park {n}')}\n"
        (tmp_path / f"{n}.txt").write_text(text, encoding="utf-8")
        lines.append(json.dumps({"id": str(n), "input": f"{n}.txt", "site": f"s{n}.com", "residue": [2]}))
    manifest = tmp_path / "fit.jsonl"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run_fit(manifest, None, rules, 0.999, 0.9, write=True) == 0
    model = load_evidence([rules])
    assert model is not None
    assert model.signals[0].weight > 0
    assert "fitted:" in (rules / "evidence.yaml").read_text(encoding="utf-8")
