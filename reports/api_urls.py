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
    path("indicator-values/", api.indicator_values, name="indicator_values"),
    path("states/", api.states, name="states"),
    path("state-facts/", api.state_facts, name="state_facts"),
    path("recommendation-links/", api.recommendation_links, name="recommendation_links"),
]
