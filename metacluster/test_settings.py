"""Settings for the test suite: the platform's settings with a key of its own (settings
refuse to start without SECRET_KEY when DEBUG is off)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "metacluster-tests-only-key")

from metacluster.settings import *  # noqa: E402, F403

# Jobs run within the request, so that a test sees their outcome when the response comes
# (the threads of the embedded default are tested on their own, in metacluster/jobs/tests).
JOB_THREADS = False
# Files that jobs write (report exports) go to the temporary directory, not the checkout.
JOB_FILES_DIR = Path(tempfile.gettempdir()) / "metacluster-test-job-files"
