"""`python -m metacluster.core.aid`: see `metacluster.core.aid.cli`."""

import sys

from .cli import main

sys.exit(main())
