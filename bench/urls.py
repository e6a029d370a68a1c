"""The project's URLs plus `/bench/trivial/`: the baseline of the benchmarks — a logged-in view
that fetches one row and renders it, through the same middleware as every page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from agencies.models import Agency
from compliance.urls import urlpatterns as project_urlpatterns


@login_required
def trivial(request):
    agency = Agency.objects.order_by("pk").first()
    return HttpResponse(f"<!DOCTYPE html><title>ok</title><p>{agency.acronym if agency else '-'}</p>")


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *project_urlpatterns]
