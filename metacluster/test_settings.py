"""Settings for the test suite: the platform's settings with a key of its own (settings
refuse to start without SECRET_KEY when DEBUG is off)."""

import os

os.environ.setdefault("SECRET_KEY", "metacluster-tests-only-key")

from metacluster.settings import *  # noqa: E402, F403

# Jobs run within the request, so that a test sees their outcome when the response comes
# (the threads of the embedded default are tested on their own, in metacluster/jobs/tests).
JOB_THREADS = False
