"""`python -m metacluster.core.consortia`: see `metacluster.core.consortia.cli`."""

import sys

from .cli import main

sys.exit(main())
