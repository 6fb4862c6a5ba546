"""The Celery application: the task queue behind long work (imports, scheduling, e-mail).

With `REDIS_URL` set, tasks go to Redis and run in `metacluster worker` processes; without
it, they run inside the process that sends them (see metacluster/jobs/running.py and
docs/DEPLOYMENT.md). The worker is started as `metacluster worker` or
`celery -A metacluster.celery worker`.
"""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metacluster.settings")

app = Celery("metacluster")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["metacluster.jobs", "metacluster.outreach"])


@worker_ready.connect
def reap_lost_jobs(**kwargs) -> None:
    """A worker (re)starting takes back the jobs a dead worker left running."""
    from metacluster.jobs.running import reap

    reap()
