"""``python -m cleaner`` is the ``cleaner`` command."""

import sys

from cleaner.cli.app import main

sys.exit(main())
