from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("agencias/<str:acronym>/", views.agency_scorecard, name="agency_scorecard"),
    path("agencias/<str:acronym>/datos.<str:fmt>", views.agency_scorecard_data, name="agency_scorecard_data"),
    path("panorama/", views.panorama, name="panorama"),
    path("panorama/puntajes.<str:fmt>", views.panorama_scores, name="panorama_scores"),
    path("panorama/datos.<str:fmt>", views.panorama_data, name="panorama_data"),
]
