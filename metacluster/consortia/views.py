from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from metacluster.programmes.views import visible_programme

from .models import Consortium


@login_required
def consortium_list(request: HttpRequest, acronym: str) -> HttpResponse:
    programme = visible_programme(request, acronym)
    consortia = (
        Consortium.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("coordinator")
        .prefetch_related("members")
    )
    return render(request, "consortia/list.html", {"programme": programme, "consortia": consortia})
