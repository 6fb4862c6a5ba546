"""`python -m metacluster.core.readiness`: see `metacluster.core.readiness.cli`."""

import sys

from .cli import main

sys.exit(main())
