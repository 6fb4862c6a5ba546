"""`python -m metacluster.core.scouting`: see `metacluster.core.scouting.cli`."""

import sys

from .cli import main

sys.exit(main())
