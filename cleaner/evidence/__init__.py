"""Weighed evidence: signals with weights summed per line and compared with a threshold.

The SpamAssassin design brought to residue lines. A *signal* is a small test of one line (a
keyword pattern, or a built-in fact about its shape, position, neighbours or repetition) with
a weight; a line the decisive rules kept is removed when its signals' weights plus the bias
reach the threshold. Weights and threshold are fitted on hand-labelled corpora
(:mod:`cleaner.evidence.fit`) and written back as data beside the rules (``rules/signals/``,
``rules/evidence.yaml``), so a change of weights is reviewed in a diff like any rule change.

- :mod:`~cleaner.evidence.facts`: the built-in line facts (shape, position, neighbourhood).
- :mod:`~cleaner.evidence.signals`: signal files and the evidence model file, validated.
- :mod:`~cleaner.evidence.judge`: which signals fire on which line; the verdicts.
- :mod:`~cleaner.evidence.fit`: fitting weights and threshold; the mass-check table.
"""
