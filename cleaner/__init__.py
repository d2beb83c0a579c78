"""cleaner: strip boilerplate residue from scraped article text, and say why.

>>> from cleaner import clean
>>> clean("Title\\n\\nThe story.\\n\\nBack to top button")
'Title\\n\\nThe story.'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cleaner.core.version import __version__ as __version__

if TYPE_CHECKING:
    from cleaner.api import clean, clean_and_explain, clean_html
    from cleaner.core.errors import CleanerError, ConfigError, InputError, RuleError
    from cleaner.core.model import CleanResult, Config, Diagnostic, Removal, Rule, SitePack
    from cleaner.engine.cleaner import Cleaner, replay
    from cleaner.engine.ruleset import Plan, RuleSet
    from cleaner.text.normalize import normalize_text

__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "Config",
    "ConfigError",
    "Diagnostic",
    "InputError",
    "Plan",
    "Removal",
    "Rule",
    "RuleError",
    "RuleSet",
    "SitePack",
    "clean",
    "clean_and_explain",
    "clean_html",
    "normalize_text",
    "replay",
]

# Where each public name lives. They are imported on first use (PEP 562), so that
# `import cleaner.cli.app` or `import cleaner.core.model` does not load the engine, the rules
# loader and regex before the command line has even been read (start-up time).
_HOME = {
    "clean": "api", "clean_and_explain": "api", "clean_html": "api",
    "Cleaner": "engine.cleaner", "replay": "engine.cleaner",
    "CleanerError": "core.errors", "ConfigError": "core.errors", "InputError": "core.errors",
    "RuleError": "core.errors",
    "CleanResult": "core.model", "Config": "core.model", "Diagnostic": "core.model", "Removal": "core.model",
    "Rule": "core.model", "SitePack": "core.model",
    "normalize_text": "text.normalize",
    "Plan": "engine.ruleset", "RuleSet": "engine.ruleset",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"cleaner.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
