"""Rule files: YAML with positions, the schema over the kinds, the loader, the rules cache, the rule docs."""
