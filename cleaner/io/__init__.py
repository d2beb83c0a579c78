"""Inputs (files, JSONL records, encodings) and the HTML bridge to trafilatura (imported lazily)."""
