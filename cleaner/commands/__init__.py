"""Subcommands of the ``cleaner`` CLI; each module exposes ``add_parser(subparsers)``.

A module's parser sets ``run=`` to a function taking the parsed arguments and returning the
exit code, so the CLI wiring stays one loop.
"""

from __future__ import annotations

from types import ModuleType

from cleaner.commands import bench_cmd, clean_cmd, explain_cmd, mine_cmd, rules_cmd

COMMANDS: tuple[ModuleType, ...] = (clean_cmd, rules_cmd, mine_cmd, bench_cmd, explain_cmd)
