"""The ``cleaner`` command line: argparse wiring (``app``) and one module per subcommand."""

from cleaner.cli.app import main

__all__ = ["main"]
