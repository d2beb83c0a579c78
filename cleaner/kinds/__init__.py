"""One module per rule kind: its options, its matcher, its gate facts and its doc text; KINDS in stage order."""
