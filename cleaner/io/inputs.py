"""Turn raw input bytes and JSONL lines into text the engine can take, or say why not.

Nothing here prints: problems come back as values (warnings, :class:`BadRecord`) or as an
:class:`~cleaner.core.errors.InputError`, and the CLI decides where they go. The JSONL helpers
work one line at a time so a streaming or parallel runner can call them per record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cleaner.core.errors import InputError

EncodingErrors = Literal["replace", "strict"]
OnError = Literal["passthrough", "skip", "fail"]
ON_ERROR_CHOICES: tuple[OnError, ...] = ("passthrough", "skip", "fail")
ENCODING_ERROR_CHOICES: tuple[EncodingErrors, ...] = ("replace", "strict")
# A record larger than this is reported, not cleaned: one runaway record should not hold a
# whole job's memory. The CLI can raise it (--max-record-bytes).
MAX_RECORD_BYTES = 64 * 1024 * 1024
# A text input (a file, stdin) larger than this is refused: read with this bound, so that
# `cleaner clean /dev/zero --force` or a runaway pipe ends with a message, not MemoryError.
# The CLI can raise it (--max-input-bytes).
MAX_INPUT_BYTES = 1024 * 1024 * 1024
# How far into the input to look for NUL bytes: text never holds them, binary files almost
# always do early on, and looking further would cost a pass over a huge input.
BINARY_SNIFF_BYTES = 1 << 20
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with the warnings the CLI should show."""

    text: str
    warnings: tuple[str, ...] = ()


def decode_input(data: bytes, name: str, *, errors: EncodingErrors = "replace", force: bool = False) -> Decoded:
    """Decode one input's bytes as UTF-8 (a BOM is dropped by normalisation later).

    Binary data (a NUL byte) is refused unless ``force``; invalid UTF-8 is replaced with
    U+FFFD and reported by byte offset, or refused when ``errors == "strict"``.

    >>> decode_input(b"caf\\xe9 au lait", "menu.txt").warnings
    ('menu.txt: invalid UTF-8 at byte 3 (1 bad byte(s)); bad bytes replaced with U+FFFD',)
    """
    nul = data.find(b"\x00", 0, BINARY_SNIFF_BYTES)
    if nul >= 0 and not force:
        raise InputError(
            f"{name}: looks like binary data (NUL byte at offset {nul}), not text; "
            "pass text (UTF-8), use --html for web pages, or --force to clean it anyway"
        )
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first = exc.start
    if errors == "strict":
        raise InputError(
            f"{name}: invalid UTF-8 at byte {first}; convert it first (iconv -f LATIN1 -t UTF-8) "
            "or drop --encoding-errors strict to replace bad bytes with U+FFFD"
        )
    text = data.decode("utf-8", errors="replace")
    # surrogateescape turns each undecodable byte into one lone surrogate: a cheap exact count.
    bad = sum(1 for _ in _ESCAPED_BYTE.finditer(data.decode("utf-8", errors="surrogateescape")))
    warning = f"{name}: invalid UTF-8 at byte {first} ({bad} bad byte(s)); bad bytes replaced with U+FFFD"
    return Decoded(text, (warning,))


# Reading a record never converts its numbers: they are not ours to change (``1E400`` is no
# float, an integer of 5,000 digits is over Python's conversion limit) and only the text and
# URL fields are used, so every number and constant stays the JSON text it was.
class _Number:
    """A JSON number or constant, left unconverted (only its type matters, for messages)."""

    __slots__ = ()


def _number(_text: str) -> _Number:
    return _NUMBER


_NUMBER = _Number()
_RAW_DECODER = json.JSONDecoder(parse_int=_number, parse_float=_number, parse_constant=_number)
# The decoder's own C scanners (untyped in typeshed): one value at an index, one string's rest.
_SCAN: Callable[[str, int], tuple[object, int]] = getattr(_RAW_DECODER, "scan_once")  # noqa: B009
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Record:
    """A JSONL record ready to clean: the line as read, its text and its URL if any.

    ``span`` is where the text field's value lies in ``raw``: only that is replaced on the
    way out, so every other field keeps its JSON text byte for byte.
    """

    where: str
    raw: str
    text: str
    url: str | None
    span: tuple[int, int]

    def with_text(self, text_field: str, text: str) -> str:
        """The record as one JSON line, every field kept as written, the text field replaced.

        >>> parse_record('{"n": 1E400, "text": "Hi"}', "in.jsonl:1").with_text("text", "Bye")
        '{"n": 1E400, "text": "Bye"}'
        """
        start, end = self.span
        return self.raw[:start] + _json_string(text) + self.raw[end:]


def _json_string(text: str) -> str:
    """``text`` as a JSON string, UTF-8 as is; a lone surrogate (valid in JSON, not in UTF-8) escaped."""
    dumped = json.dumps(text, ensure_ascii=False)
    try:
        dumped.encode("utf-8")  # far cheaper than a regex search; fails only on a surrogate
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
    return dumped


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A JSONL line that cannot be cleaned, located as ``file:line``, and the line as read."""

    where: str
    problem: str
    raw: str

    @property
    def message(self) -> str:
        return f"{self.where}: {self.problem}"


def parse_record(
    line: str,
    where: str,
    text_field: str = "text",
    url_field: str = "url",
    *,
    max_bytes: int = MAX_RECORD_BYTES,
) -> Record | BadRecord:
    """Read one JSONL line; a problem (not JSON, no string text field, too big) is a BadRecord.

    >>> parse_record('{"text": "Hi", "id": 1}', "in.jsonl:1").text
    'Hi'
    >>> parse_record('{"id": 1}', "in.jsonl:2").problem
    "no string field 'text' (the field is missing)"
    """
    raw = line.rstrip("\r\n")
    size = len(raw.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return BadRecord(where, too_big(size, max_bytes), raw)
    try:
        fields = _top_level_fields(raw)
    except json.JSONDecodeError as exc:
        return BadRecord(where, f"not JSON ({exc.msg} at column {exc.colno})", raw)
    except RecursionError:
        return BadRecord(where, "not JSON (nested too deeply)", raw)
    except ValueError as exc:  # anything else the decoder may refuse: a bad record, never a lost stream
        return BadRecord(where, f"not JSON ({exc})", raw)
    if not isinstance(fields, dict):
        return BadRecord(where, f"a record must be a JSON object, got {_json_type(fields)}", raw)
    if text_field not in fields:
        return BadRecord(where, f"no string field '{text_field}' (the field is missing)", raw)
    text, start, end = fields[text_field]
    if not isinstance(text, str):
        return BadRecord(where, f"no string field '{text_field}' (it is {_json_type(text)})", raw)
    url = fields.get(url_field, (None, 0, 0))[0]
    return Record(where, raw, text, url if isinstance(url, str) else None, (start, end))


def too_big(size: int, max_bytes: int) -> str:
    """The problem of a record over ``--max-record-bytes``."""
    return f"record is {size:,} bytes, over the limit of {max_bytes:,} (--max-record-bytes)"


def _whole(raw: str) -> object:
    value: object = _RAW_DECODER.decode(raw)
    return value


def _top_level_fields(raw: str) -> dict[str, tuple[object, int, int]] | object:
    """Each top-level field of the JSON object ``raw``: its value and where that value lies.

    A later duplicate key wins, as with :func:`json.loads`. Anything but an object is decoded
    whole and returned as is (for the message); malformed JSON raises JSONDecodeError with the
    decoder's own message and position.
    """
    index = _WS.match(raw).end()  # type: ignore[union-attr]
    if raw[index : index + 1] != "{":
        return _whole(raw)
    fields: dict[str, tuple[object, int, int]] = {}
    index = _WS.match(raw, index + 1).end()  # type: ignore[union-attr]
    if raw[index : index + 1] == "}":
        index += 1
    else:
        while True:
            if raw[index : index + 1] != '"':
                return _whole(raw)  # raises, with the decoder's message
            key, index = _SCAN_STRING(raw, index + 1)
            index = _WS.match(raw, index).end()  # type: ignore[union-attr]
            if raw[index : index + 1] != ":":
                return _whole(raw)
            start = _WS.match(raw, index + 1).end()  # type: ignore[union-attr]
            try:
                value, end = _SCAN(raw, start)
            except StopIteration:
                return _whole(raw)
            fields[key] = (value, start, end)
            index = _WS.match(raw, end).end()  # type: ignore[union-attr]
            separator = raw[index : index + 1]
            index += 1
            if separator == "}":
                break
            if separator != ",":
                return _whole(raw)
            index = _WS.match(raw, index).end()  # type: ignore[union-attr]
    if _WS.match(raw, index).end() != len(raw):  # type: ignore[union-attr]
        return _whole(raw)  # "Extra data"
    return fields


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, _Number)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string"


def handle_bad_record(bad: BadRecord, on_error: OnError) -> tuple[str | None, str]:
    """What to write for a bad record, and the warning to show.

    ``passthrough`` writes the line unchanged, ``skip`` writes nothing, ``fail`` raises
    InputError (the CLI exits 2 at the first bad record).
    """
    if on_error == "fail":
        raise InputError(f"{bad.message}; stopping (--on-error fail)")
    if on_error == "skip":
        return None, f"warning: {bad.message}; record skipped"
    return bad.raw, f"warning: {bad.message}; record passed through unchanged"


def decode_line(data: bytes, where: str, errors: EncodingErrors = "replace") -> tuple[str, str | None]:
    """Decode one JSONL line; return the text and a warning when bytes had to be replaced."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        if errors == "strict":
            raise InputError(
                f"{where}: invalid UTF-8 at byte {exc.start} of the line; "
                "drop --encoding-errors strict to replace bad bytes with U+FFFD"
            ) from None
        return data.decode("utf-8", errors="replace"), (
            f"warning: {where}: invalid UTF-8 at byte {exc.start} of the line; bad bytes replaced with U+FFFD"
        )
