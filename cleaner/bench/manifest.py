"""Benchmark corpora: ``manifest.jsonl`` records with paths relative to the manifest.

One document a line::

    {"id": "0001", "input": "0001.txt", "gold": "0001.gold.txt", "url": "https://...",
     "site": "example.com", "html": "0001.html.gz",
     "snippets": {"with": ["..."], "without": ["..."]}}

``input`` is required; ``gold``, ``url``, ``site``, ``html`` and ``snippets`` are optional
(``snippets`` may also name a JSON file holding that object). Problems are collected as
``path:line:col`` diagnostics so one run reports every broken record.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cleaner.core.diagnostics import B001, B002, B003, B004, B005
from cleaner.core.model import Diagnostic


@dataclass(frozen=True, slots=True)
class Record:
    """One document of a corpus, its files read into memory (``html`` stays a path)."""

    id: str
    input: str
    gold: str | None = None
    raw_gold: str | None = None
    gold_path: Path | None = None
    url: str | None = None
    site: str | None = None
    html: Path | None = None
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()
    line: int = 0

    @property
    def has_snippets(self) -> bool:
        return bool(self.with_snippets or self.without_snippets)


@dataclass(frozen=True, slots=True)
class Corpus:
    """A manifest's records and the hash that pins its contents in a baseline."""

    path: Path
    name: str
    records: tuple[Record, ...]
    hash: str


def corpus_name(path: Path) -> str:
    """A short name: the manifest's stem, or its folder's name for ``manifest.jsonl``.

    >>> corpus_name(Path("corpora/tiptopjaw/manifest.jsonl")), corpus_name(Path("benchmarks/seeds.jsonl"))
    ('tiptopjaw', 'seeds')
    """
    return path.parent.name if path.stem == "manifest" and path.parent.name else path.stem


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    return data.decode("utf-8", errors="replace")


def read_html(path: Path) -> bytes:
    """The raw page, gunzipped when the file name ends in ``.gz``."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _snippets(value: object, base: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(value, str):
        value = json.loads(_read_text(base / value))
    if not isinstance(value, dict):
        raise ValueError('"snippets" must be {"with": [...], "without": [...]} or a JSON file holding that')
    out = []
    for key in ("with", "without"):
        items = value.get(key, [])
        if not isinstance(items, list) or not all(isinstance(s, str) for s in items):
            raise ValueError(f'"snippets.{key}" must be a list of strings')
        out.append(tuple(items))
    return out[0], out[1]


def _optional_str(data: dict[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f'"{key}" must be a string')
    return value


def _record(data: object, base: Path, number: int) -> Record:
    if not isinstance(data, dict):
        raise ValueError("a record must be a JSON object")
    rid, input_name = data.get("id"), data.get("input")
    if not isinstance(rid, str) or not rid:
        raise ValueError('missing "id" (a non-empty string)')
    if not isinstance(input_name, str):
        raise ValueError(f'{rid}: missing "input" (a path relative to the manifest)')
    gold_name = _optional_str(data, "gold")
    html_name = _optional_str(data, "html")
    with_, without = _snippets(data["snippets"], base) if data.get("snippets") is not None else ((), ())
    try:
        text = _read_text(base / input_name)
        raw_gold = _read_text(base / gold_name) if gold_name else None
    except OSError as exc:
        raise ValueError(f"{rid}: cannot read {exc.filename}: {exc.strerror}") from exc
    html = base / html_name if html_name else None
    if html is not None and not html.is_file():
        raise ValueError(f"{rid}: html file not found: {html}")
    # Imported here: `cleaner bench --help` and the gate's baseline checks start without the normaliser.
    from cleaner.text.normalize import normalize_text

    gold = normalize_text(raw_gold) if raw_gold is not None else None
    return Record(
        rid, text, gold, raw_gold, base / gold_name if gold_name else None, _optional_str(data, "url"),
        _optional_str(data, "site"), html, with_, without, number,
    )


def load_manifest(path: Path) -> tuple[Corpus | None, list[Diagnostic]]:
    """Read a manifest and every file it names; diagnostics for each broken record."""
    diagnostics: list[Diagnostic] = []
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        hint = "give the path of a manifest.jsonl (one JSON record a line)"
        return None, [Diagnostic(str(path), 1, 1, B001, f"cannot read manifest: {exc}", hint)]
    records: list[Record] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = _record(json.loads(line), path.parent, number)
        except json.JSONDecodeError as exc:
            diagnostics.append(Diagnostic(str(path), number, exc.colno, B002, f"not JSON: {exc.msg}",
                                          "one JSON object per line"))
            continue
        except ValueError as exc:
            diagnostics.append(Diagnostic(str(path), number, 1, B003, str(exc),
                                          "paths are relative to the manifest; see `cleaner bench --help`"))
            continue
        if record.id in seen:
            diagnostics.append(Diagnostic(str(path), number, 1, B004, f"duplicate id {record.id!r}",
                                          "ids name documents in reports and must be unique"))
            continue
        seen.add(record.id)
        records.append(record)
    if not records and not diagnostics:
        diagnostics.append(Diagnostic(str(path), 1, 1, B005, "manifest has no records", "add one JSON record a line"))
    return Corpus(path, corpus_name(path), tuple(records), corpus_hash(records)), diagnostics


def corpus_hash(records: list[Record] | tuple[Record, ...]) -> str:
    """sha256 over ids, inputs, gold and snippets: changes whenever what is scored changes."""
    digest = hashlib.sha256()
    for record in records:
        payload = json.dumps(
            [record.id, record.input, record.raw_gold, record.with_snippets, record.without_snippets],
            ensure_ascii=False,
        ).encode("utf-8")
        digest.update(len(payload).to_bytes(8, "big"))
        digest.update(payload)
    return "sha256:" + digest.hexdigest()
