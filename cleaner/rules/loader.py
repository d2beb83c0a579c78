"""Find rule files (built-in and user directories), parse and validate them together."""

from __future__ import annotations

import errno
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cleaner.core.diagnostics import E107, E113, E114, E119, E120
from cleaner.core.model import Diagnostic, Rule, SitePack
from cleaner.util.diskcache import NotARegularFile, read_regular_file

# The schema and the YAML reader (PyYAML) are imported by load_dirs: a start-up served by
# the rules cache (cleaner.rules.cache) never needs them.


def builtin_rules_dir() -> Path:
    """The rules shipped with the package (inside the wheel, or the repository's rules/)."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "_rules"
    return shipped if shipped.is_dir() else package.parent / "rules"


@dataclass(frozen=True, slots=True)
class LoadedRules:
    """Everything read from a set of rule directories, before compilation."""

    common: tuple[Rule, ...]
    packs: tuple[SitePack, ...]
    site_rules: tuple[Rule, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.common + self.site_rules


def rule_files(directory: Path) -> tuple[list[Path], list[Path]]:
    """The ``common/*.yaml`` and ``sites/*.yaml`` files of one rules directory, sorted."""
    common = sorted((directory / "common").glob("*.y*ml"))
    sites = sorted((directory / "sites").glob("*.y*ml"))
    return common, sites


def learned_files(directory: Path) -> list[Path]:
    """The ``learned/*.yaml`` packs of one rules directory (``cleaner clean --save-learned``), sorted."""
    return sorted((directory / "learned").glob("*.y*ml"))


# Beside the learned packs: how often each recurring shape is on its site's pages, the shares
# the weighed evidence's site facts read (written by cleaner.mine.learned, read by the engine).
RECURRENCE_FILE = "recurrence.json"


def recurrence_tables(directories: Iterable[str | Path]) -> list[Path]:
    """The recurrence tables (``learned/recurrence.json``) the rules directories hold."""
    tables = (Path(directory) / "learned" / RECURRENCE_FILE for directory in directories)
    return [table for table in tables if table.is_file()]


# A rule file larger than this is refused before it is read (E113). yamlsource.MAX_FILE_BYTES,
# repeated: a warm start must not import the YAML reader (tests/regressions check they agree).
MAX_RULE_FILE_BYTES = 1_000_000


def read_rule_file(path: Path) -> bytes | Diagnostic:
    """A rule file's bytes, or the E113/E114 diagnostic saying why it cannot be read.

    Only a regular file (no symlink, FIFO or device) of at most MAX_RULE_FILE_BYTES is read:
    see :func:`cleaner.util.diskcache.read_regular_file`.
    """
    try:
        return read_regular_file(path, MAX_RULE_FILE_BYTES)
    except NotARegularFile as exc:
        if exc.errno == errno.EFBIG:
            return Diagnostic(
                str(path), 1, 1, E113, f"file is larger than {MAX_RULE_FILE_BYTES:,} bytes",
                "split it into smaller packs; rule files are small by design",
            )
        return Diagnostic(
            str(path), 1, 1, E114, f"cannot read rule file: {exc.strerror}",
            "rule files must be regular files: copy the file into the rules folder",
        )
    except OSError as exc:
        return Diagnostic(
            str(path), 1, 1, E114, f"cannot read rule file: {exc.strerror or exc}",
            "check the path and that it is UTF-8 text",
        )


def _read(path: Path, contents: Mapping[Path, bytes | Diagnostic] | None = None) -> tuple[object, list[Diagnostic]]:
    data = contents[path] if contents is not None and path in contents else read_rule_file(path)
    if isinstance(data, Diagnostic):
        return None, [data]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Diagnostic(
            str(path), 1, 1, E114, f"cannot read rule file: {exc}", "check the path and that it is UTF-8 text",
        )]
    # Imported here: a warm start served by the rules cache never needs the schema or PyYAML.
    from cleaner.rules.yamlsource import load_yaml

    return load_yaml(text, str(path))


def load_dirs(
    directories: Sequence[Path], contents: Mapping[Path, bytes | Diagnostic] | None = None
) -> LoadedRules:
    """Load every rule file under ``directories`` and check them against each other.

    ``contents``: the files' bytes as already read (by the rules cache, which hashes exactly
    what is parsed here); a file not in it is read now.
    """
    # Imported here: a warm start served by the rules cache never needs the schema or PyYAML.
    from cleaner.rules.schema import parse_common_file

    diagnostics: list[Diagnostic] = []
    common: list[Rule] = []
    packs: list[SitePack] = []
    site_rules: list[Rule] = []
    site_files: list[Path] = []
    learned: list[Path] = []
    # Where each pack writes each of its hosts, parallel to ``packs``, to locate E107.
    claims: list[list[tuple[str, int, int]]] = []
    for directory in directories:
        if not directory.is_dir():
            diagnostics.append(
                Diagnostic(
                    str(directory),
                    1,
                    1,
                    E119,
                    "rules directory does not exist",
                    "pass a folder holding common/ and/or sites/",
                )
            )
            continue
        common_files, found_sites = rule_files(directory)
        site_files += found_sites
        learned += learned_files(directory)
        # A crawl may teach recurrence (the evidence's site facts) without a rule: learned/ then
        # holds only its recurrence table, read by Cleaner.from_paths.
        if not common_files and not found_sites and not learned_files(directory) and not recurrence_tables([directory]):
            diagnostics.append(
                Diagnostic(
                    str(directory), 1, 1, E120, "no rule files found",
                    "a rules directory holds common/<id>.yaml and sites/<domain>.yaml",
                )
            )
        for path in common_files:
            data, found = _read(path, contents)
            if data is not None:
                rule, parsed = parse_common_file(data, path)
                found += parsed
                if rule is not None:
                    common.append(rule)
            diagnostics += _in_file_order(found)
    # Sites come after every common rule is known, so `disable:` can be checked in place.
    known = {rule.id for rule in common}
    for data, pack, rules in _site_packs(site_files, known, diagnostics, contents):
        packs.append(pack)
        claims.append(_host_claims(data))
        site_rules += rules
    diagnostics += _cross_checks(common, zip(packs, claims, strict=True))
    # Learned packs (cleaner.engine.learn) claim no host: their rules join the plan of their site.
    for _, pack, rules in _site_packs(learned, known, diagnostics, contents):
        packs, rules = as_learned(packs, pack, rules)
        site_rules += rules
    return LoadedRules(tuple(common), tuple(packs), tuple(site_rules), tuple(diagnostics))


def as_learned(
    packs: Sequence[SitePack], pack: SitePack, rules: Sequence[Rule]
) -> tuple[list[SitePack], list[Rule]]:
    """``rules`` of a learned ``pack`` renamed ``learned/<site>``, and ``packs`` with a header for its site.

    The learned rules join the plan of the pack that answers for the site (a hand-written
    pack keeps its name, detection and aliases); a site without one gets a bare header.
    """
    owner = next((p for p in packs if pack.site in p.hosts), None)
    site = owner.site if owner else pack.site
    out = list(packs) if owner else [*packs, SitePack(pack.site, source=pack.source)]
    return out, [replace(rule, pack=f"learned/{site}") for rule in rules]


def _site_packs(
    paths: Iterable[Path], known: set[str], diagnostics: list[Diagnostic],
    contents: Mapping[Path, bytes | Diagnostic] | None = None,
) -> Iterator[tuple[object, SitePack, list[Rule]]]:
    """Each valid pack of ``paths`` with its parsed data; every file's diagnostics go to ``diagnostics``."""
    # Imported here: a warm start served by the rules cache never needs the schema or PyYAML.
    from cleaner.rules.schema import parse_site_file

    for path in paths:
        data, found = _read(path, contents)
        if data is not None:
            pack, rules, parsed = parse_site_file(data, path, known)
            found += parsed
            if pack is not None:
                yield data, pack, rules
        diagnostics += _in_file_order(found)


def _in_file_order(found: list[Diagnostic]) -> list[Diagnostic]:
    # One file's diagnostics read top to bottom, whichever check found them first.
    return sorted(found, key=lambda d: (d.line, d.col))


def _host_claims(data: object) -> list[tuple[str, int, int]]:
    """Each host a valid pack's ``site:`` and ``aliases:`` name, with the line and column of its value."""
    # Imported here: a warm start served by the rules cache never needs the schema or PyYAML.
    from cleaner.rules.yamlsource import YList, YMap

    assert isinstance(data, YMap)  # parse_site_file returned a pack
    site = data.value_pos["site"]
    claims = [(str(data["site"]), site.line, site.col)]
    aliases = data.get("aliases")
    if isinstance(aliases, YList):
        pairs = zip(aliases, aliases.item_pos, strict=True)
        claims += [(alias, pos.line, pos.col) for alias, pos in pairs if isinstance(alias, str)]
    return claims


def _cross_checks(
    common: Iterable[Rule], packs: Iterable[tuple[SitePack, list[tuple[str, int, int]]]]
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, Rule] = {}
    for rule in common:
        if rule.id in seen:
            out.append(
                Diagnostic(
                    rule.source, rule.line, 1, E107,
                    f"duplicate rule id 'common/{rule.id}' (also in {seen[rule.id].source})",
                    "rename one; to change a built-in rule, disable it in a site pack or use --no-builtin-rules",
                )
            )
        seen[rule.id] = rule
    # The first pack to claim a host keeps it; every later claim is reported where it is written.
    sites: dict[str, tuple[str, int, int]] = {}
    for pack, claims in packs:
        for host, line, col in claims:
            if host not in sites:
                sites[host] = (pack.source, line, col)
                continue
            first = sites[host]
            out.append(
                Diagnostic(
                    pack.source, line, col, E107,
                    f"site '{host}' is already claimed by {first[0]}:{first[1]}:{first[2]}",
                    f"remove the repeated '{host}' from site:/aliases:" if first[0] == pack.source
                    else f"a host belongs to one pack: merge the two packs, or remove '{host}' from this one",
                )
            )
    return out
