"""`python -m metacluster.core.scheduling`: see `metacluster.core.scheduling.cli`."""

import sys

from .cli import main

sys.exit(main())
