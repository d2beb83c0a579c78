"""A line's shape: its literal text with dates, times, counts and numbers abstracted.

Two lines with the same shape are "the same line" for mining: ``12 Comments`` and
``1 Comment``, ``© 2023 Example`` and ``© 2024 Example``. The shape also yields the regex
that matches every line of that shape: literal parts escaped, abstracted parts generalised.

>>> shape_of("12 Comments").pattern
'\\\\d[\\\\d.,]* Comments?'
>>> shape_of("© 2023 Example").key == shape_of("© 2024 Example").key
True
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
ORDINAL = r"(?:st|nd|rd|th)?"
# Each abstraction: how it is found in a line, and the regex a proposed rule uses for it.
# The emitted regexes avoid repeated groups of repeats (the schema warns about those).
DATE = (
    rf"(?:{MONTH}\.? \d{{1,2}}{ORDINAL},? \d{{4}}|\d{{1,2}}{ORDINAL}\.? {MONTH}\.?,? \d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp]\.?[Mm]\.?)?"
AGO = r"\d+ (?:second|minute|hour|day|week|month|year)s? ago"
NUMBER_FOUND = r"\d+(?:[.,]\d+)*"
NUMBER_EMIT = r"\d[\d.,]*"
# After a number, a word's plural "s" is part of the count, not of the word: 1 Comment, 3 Comments.
COUNTED_WORD = r"(?P<space> )(?P<word>[^\W\d_]{3,}?)(?P<plural>s?)\b"

_FIND = regex.compile(
    rf"(?P<date>(?<![\w.]){DATE}(?!\w))|(?P<ago>(?<!\w){AGO}\b)|(?P<time>(?<![\w:]){TIME}(?![\w:]))"
    rf"|(?P<number>{NUMBER_FOUND})(?:{COUNTED_WORD})?"
)
_EMIT = {"date": DATE, "ago": AGO, "time": TIME, "number": NUMBER_EMIT}
_WORD = regex.compile(r"[^\W_]+")
_LETTER = regex.compile(r"[^\W\d_]")


# A shape is a sequence of parts: ("text", literal), ("abstract", kind) or ("counted", word).
Part = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Shape:
    """What a line looks like once its variable parts are abstracted.

    ``key`` compares lines, ``pattern`` matches every line with this shape (full match on the
    stripped line) and ``literal`` is the text without its abstracted parts (for names).
    """

    parts: tuple[Part, ...]

    @property
    def key(self) -> str:
        return key_of_parts(self.parts)

    @property
    def pattern(self) -> str:
        out = []
        for kind, value in self.parts:
            if kind == "text":
                out.append(_escape(value))
            elif kind == "abstract":
                out.append(_EMIT[value])
            else:
                out.append(f" {_escape(value)}s?")
        return "".join(out)

    @property
    def literal(self) -> str:
        words = (value if kind == "text" else f" {value}" if kind == "counted" else "" for kind, value in self.parts)
        return " ".join("".join(words).split())

    @property
    def abstracted(self) -> tuple[str, ...]:
        return tuple(value for kind, value in self.parts if kind == "abstract")

    @property
    def letters(self) -> int:
        """How many letters the literal part holds: a shape of digits alone says nothing."""
        return len(_LETTER.findall(self.literal))


def _escape(text: str) -> str:
    return str(regex.escape(text, literal_spaces=True))


def _parts(line: str) -> tuple[Part, ...]:
    text = " ".join(line.split())
    parts: list[Part] = []
    last = 0
    for found in _FIND.finditer(text):
        if found.start() > last:
            parts.append(("text", text[last : found.start()]))
        kind = "number" if found.group("number") is not None else str(found.lastgroup)
        parts.append(("abstract", kind))
        last = found.end()
        word = found.group("word")
        if kind == "number" and word is not None:
            # Fold the plural only where it shows: "3 Comments" or "1 Comment", not "2023 Foo".
            if found.group("plural") or found.group("number") == "1":
                parts.append(("counted", word))
            else:
                last = found.end("number")
    if last < len(text) or not parts:
        parts.append(("text", text[last:]))
    return tuple(parts)


def key_of_parts(parts: tuple[Part, ...]) -> str:
    """The comparison key of a shape: literal text with a marker for each abstracted part."""
    return "".join(
        value if kind == "text" else f"\x00{value}\x00" if kind == "abstract" else f" {value}\x00s?\x00"
        for kind, value in parts
    )


def key_of(line: str) -> str:
    """The comparison key of ``line``: cheaper than :func:`shape_of` when only comparing.

    >>> key_of("12 Comments") == key_of("1 Comment")
    True
    """
    return key_of_parts(_parts(line))


def shape_of(line: str) -> Shape:
    """The shape of one line (whitespace runs count as one space).

    >>> shape_of("Posted on March 3, 2024 at 10:30 am").pattern.startswith('Posted on (?:')
    True
    """
    return Shape(_parts(line))


def slug_words(text: str, limit: int = 5) -> list[str]:
    """Lower-case ASCII words of ``text`` for a rule id ("©" reads as "copyright")."""
    text = text.replace("©", " copyright ")
    # Accents come off (é -> e) so that ids stay ASCII and still readable.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    out = []
    for word in _WORD.findall(text.casefold()):
        ascii_word = "".join(ch for ch in word if "a" <= ch <= "z" or "0" <= ch <= "9")
        if ascii_word:
            out.append(ascii_word)
        if len(out) == limit:
            break
    return out
