"""Frozen values (rules, removals, results, configuration), the diagnostics registry, errors, the version."""
