"""`python -m metacluster.core.markets`: see `metacluster.core.markets.cli`."""

import sys

from .cli import main

sys.exit(main())
