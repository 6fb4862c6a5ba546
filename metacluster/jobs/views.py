"""A job's page: its state and progress, polled by htmx while it runs; the file it made."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.module_loading import import_string

from .models import Job
from .running import live, reap

# A job's file goes to the one who started it, and for these kinds only while the rule of the
# app that made it still lets them see what it was made from (the rule lives in that app).
FILE_ACCESS = {"reporting.export_period_report": "metacluster.reporting.views.may_fetch_export"}


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
    check = FILE_ACCESS.get(job.kind)
    if not path or (check and not import_string(check)(request.user, job)):
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
