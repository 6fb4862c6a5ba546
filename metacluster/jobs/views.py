"""A job's page: its state and progress, polled by htmx while it runs; the file it made."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Job
from .running import live, reap


def visible_job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=pk)
    if job.is_running and reap(job):  # its worker was lost: sent again, or failed
        job.refresh_from_db()
    return job


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job(request, pk)
    progress, _heartbeat = live(job)
    context = {"job": job, "progress": round(100 * progress)}
    if request.headers.get("HX-Request") == "true":
        return render(request, "jobs/_status.html", context)
    return render(request, "jobs/detail.html", context)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = visible_job(request, pk)
    path = job.result.get("file") if job.result else None
    if not path:
        raise Http404
    try:
        handle = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.result.get("name") or "download",
        content_type=job.result.get("content_type") or "application/octet-stream",
    )
