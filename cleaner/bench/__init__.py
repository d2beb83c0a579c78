"""The benchmark harness: manifests, gold alignment, metrics, scores, the quality gate, reports."""
