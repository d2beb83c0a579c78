"""Text before rules see it: normalisation (gated ftfy repair), lines and words, hosts, line shapes."""
