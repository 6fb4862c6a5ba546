"""`python -m metacluster.core.matching`: see `metacluster.core.matching.cli`."""

import sys

from .cli import main

sys.exit(main())
