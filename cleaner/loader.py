"""Find rule files (built-in and user directories), parse and validate them together."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.model import Diagnostic, Rule, SitePack

# The schema and the YAML reader (PyYAML) are imported by load_dirs: a start-up served by
# the rules cache (cleaner.rulecache) never needs them.


def builtin_rules_dir() -> Path:
    """The rules shipped with the package (inside the wheel, or the repository's rules/)."""
    here = Path(__file__).resolve().parent
    shipped = here / "_rules"
    return shipped if shipped.is_dir() else here.parent / "rules"


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


def _read(path: Path) -> tuple[object, list[Diagnostic]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic(
            str(path),
            1,
            1,
            "E114",
            f"cannot read rule file: {exc}",
            "check the path and that it is UTF-8 text",
        )]
    from cleaner.yamlsource import load_yaml

    return load_yaml(text, str(path))


def load_dirs(directories: Sequence[Path]) -> LoadedRules:
    """Load every rule file under ``directories`` and check them against each other."""
    from cleaner.schema import parse_common_file, parse_site_file

    diagnostics: list[Diagnostic] = []
    common: list[Rule] = []
    packs: list[SitePack] = []
    site_rules: list[Rule] = []
    site_files: list[Path] = []
    for directory in directories:
        if not directory.is_dir():
            diagnostics.append(
                Diagnostic(
                    str(directory),
                    1,
                    1,
                    "E114",
                    "rules directory does not exist",
                    "pass a folder holding common/ and/or sites/",
                )
            )
            continue
        common_files, found_sites = rule_files(directory)
        site_files += found_sites
        if not common_files and not found_sites:
            diagnostics.append(
                Diagnostic(
                    str(directory), 1, 1, "E114", "no rule files found",
                    "a rules directory holds common/<id>.yaml and sites/<domain>.yaml",
                )
            )
        for path in common_files:
            data, found = _read(path)
            if data is not None:
                rule, parsed = parse_common_file(data, path)
                found += parsed
                if rule is not None:
                    common.append(rule)
            diagnostics += _in_file_order(found)
    # Sites come after every common rule is known, so `disable:` can be checked in place.
    known = {rule.id for rule in common}
    for path in site_files:
        data, found = _read(path)
        if data is not None:
            pack, rules, parsed = parse_site_file(data, path, known)
            found += parsed
            if pack is not None:
                packs.append(pack)
                site_rules += rules
        diagnostics += _in_file_order(found)
    diagnostics += _cross_checks(common, packs)
    return LoadedRules(tuple(common), tuple(packs), tuple(site_rules), tuple(diagnostics))


def _in_file_order(found: list[Diagnostic]) -> list[Diagnostic]:
    # One file's diagnostics read top to bottom, whichever check found them first.
    return sorted(found, key=lambda d: (d.line, d.col))


def _cross_checks(common: Iterable[Rule], packs: Iterable[SitePack]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, Rule] = {}
    for rule in common:
        if rule.id in seen:
            out.append(
                Diagnostic(
                    rule.source, rule.line, 1, "E107",
                    f"duplicate rule id 'common/{rule.id}' (also in {seen[rule.id].source})",
                    "rename one; to change a built-in rule, disable it in a site pack or use --no-builtin-rules",
                )
            )
        seen[rule.id] = rule
    sites: dict[str, SitePack] = {}
    for pack in packs:
        for host in pack.hosts:
            if host in sites:
                out.append(
                    Diagnostic(
                        pack.source,
                        1,
                        1,
                        "E107",
                        f"site '{host}' is claimed by two packs (also {sites[host].source})",
                        "merge the packs",
                    )
                )
            sites[host] = pack
    return out
