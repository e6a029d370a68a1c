from django.urls import path

from reports import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("openapi.json", api.openapi, name="openapi"),
    path("cycles/", api.cycles, name="cycles"),
    path("agencies/", api.agencies, name="agencies"),
    path("obligations/", api.obligations, name="obligations"),
    path("assessments/", api.assessments, name="assessments"),
]
