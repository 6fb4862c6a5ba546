"""Background jobs in the API: the state and progress of a job you started."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema

from metacluster.apiutils import Id, get_visible, responses

from .models import Job, JobState
from .running import live, reap

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: int
    kind: str
    title: str
    state: JobState
    progress: float
    attempts: int
    message: str
    result: dict
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_progress(job) -> float:
        return round(live(job)[0], 4)


@router.get("/jobs/{int:job_id}", response=responses(JobOut))
def get_job(request, job_id: Id):
    """A job you started ("Schedule all", consortium formation, exports): poll until its
    state is done or failed; `progress` goes from 0 to 1."""
    job = get_visible(Job.objects.visible_to(request.user), job_id, _("job"))
    if job.is_running and reap(job):
        job.refresh_from_db()
    return job
