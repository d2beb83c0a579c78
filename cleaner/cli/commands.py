"""Subcommands of the ``cleaner`` CLI; each module exposes ``add_parser(subparsers)``.

A module's parser sets ``run=`` to a function taking the parsed arguments and returning the
exit code, so the CLI wiring stays one loop.
"""

from __future__ import annotations

from types import ModuleType

from cleaner.cli import bench, clean, explain, mine, rules

COMMANDS: tuple[ModuleType, ...] = (clean, rules, mine, bench, explain)
