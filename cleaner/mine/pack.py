"""Write a mining result as a site pack a person can read, and check it loads as written.

The YAML is written as text, not dumped: every string in single quotes (the loader rejects
double-quoted ``"\\b"``), keys in the order a reviewer reads them, and each rule preceded by a
comment with its support.
"""

from __future__ import annotations

from pathlib import Path

from cleaner.core.model import Diagnostic
from cleaner.mine.miner import MineResult, Proposal
from cleaner.rules.schema import parse_site_file
from cleaner.rules.yamlsource import load_yaml

HEADER = """\
# Proposed by `cleaner mine` from {documents} pages of {site}.
# Every rule is `status: preview`: it runs only with --preview. Read each rule, check that its
# `match` examples are residue and its `no_match` examples are prose, then delete its
# `status: preview` line to promote it (README: "Mining site rules").
"""


def quote(text: str) -> str:
    """A YAML single-quoted scalar: backslashes stay literal, a quote is doubled.

    >>> quote("it's \\\\d+")
    "'it''s \\\\d+'"
    """
    return "'" + text.replace("'", "''") + "'"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return quote(str(value))


def render_rule(proposal: Proposal, *, preview: bool = True) -> list[str]:
    """The YAML lines of one proposed rule, indented for a pack's ``rules:`` list."""
    out = [f"  # support: {proposal.support()}; pages: {', '.join(proposal.example_docs)}"]
    if proposal.covers:
        shown = ", ".join(quote(text[:60]) for text in proposal.covers)
        out.append(f"  # also removes, with it, the recurring lines: {shown}")
    out += [
        f"  - id: {proposal.id}",
        f"    summary: {quote(proposal.summary)}",
        f"    kind: {proposal.kind}",
        *(["    status: preview"] if preview else []),
        f"    {'start' if proposal.kind == 'block' else 'pattern'}: {quote(proposal.pattern)}",
    ]
    out += [f"    {key}: {_value(value)}" for key, value in proposal.options]
    out.append("    examples:")
    out.append("      match:")
    out += [f"        - {quote(line)}" for line in proposal.match]
    out.append("      no_match:")
    out += [f"        - {quote(line)}" for line in proposal.no_match]
    return out


def render_pack(result: MineResult) -> str:
    """The whole site pack for ``result`` as YAML text."""
    lines = HEADER.format(documents=result.documents, site=result.site).splitlines()
    lines.append(f"site: {result.site}")
    if result.names:
        lines.append(f"names: [{', '.join(quote(name) for name in result.names)}]")
    if not result.proposals:
        lines.append("rules: []")
        return "\n".join(lines) + "\n"
    lines.append("rules:")
    for proposal in result.proposals:
        lines += render_rule(proposal)
    return "\n".join(lines) + "\n"


def check_pack(text: str, site: str) -> list[Diagnostic]:
    """Load ``text`` as ``sites/<site>.yaml`` would be loaded; return its diagnostics."""
    path = Path(f"{site}.yaml")
    data, diagnostics = load_yaml(text, str(path))
    if data is None:
        return diagnostics
    _, _, found = parse_site_file(data, path, set())
    return diagnostics + found
