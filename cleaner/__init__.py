"""cleaner: strip boilerplate residue from scraped article text, and say why.

>>> from cleaner import clean
>>> clean("Title\\n\\nThe story.\\n\\nBack to top button")
'Title\\n\\nThe story.'
"""

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
