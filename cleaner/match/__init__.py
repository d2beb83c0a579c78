"""Pattern analysis: parsing, RE2 translation, required literals, lazy compilation, the site-names marker."""
