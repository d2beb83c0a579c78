"""cleaner: strip boilerplate residue from scraped article text, and say why.

>>> from cleaner import clean
>>> clean("Title\\n\\nThe story.\\n\\nBack to top button")
'Title\\n\\nThe story.'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cleaner.api import clean, clean_and_explain, clean_html
    from cleaner.engine import Cleaner, replay
    from cleaner.errors import CleanerError, ConfigError, InputError, RuleError
    from cleaner.model import CleanResult, Config, Diagnostic, Removal, Rule, SitePack
    from cleaner.normalize import normalize_text
    from cleaner.ruleset import Plan, RuleSet

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
__version__ = "0.1.0"

# Where each public name lives. They are imported on first use (PEP 562), so that
# `import cleaner.cli` or `import cleaner.model` does not load the engine, the rules
# loader and regex before the command line has even been read (start-up time).
_HOME = {
    "clean": "api", "clean_and_explain": "api", "clean_html": "api",
    "Cleaner": "engine", "replay": "engine",
    "CleanerError": "errors", "ConfigError": "errors", "InputError": "errors", "RuleError": "errors",
    "CleanResult": "model", "Config": "model", "Diagnostic": "model", "Removal": "model", "Rule": "model",
    "SitePack": "model",
    "normalize_text": "normalize",
    "Plan": "ruleset", "RuleSet": "ruleset",
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
