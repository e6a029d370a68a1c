from django.urls import path

from reports import public_views as views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("datos/", views.open_data, name="open_data"),
    path("datos/diccionario/", views.dictionary, name="dictionary"),
    path("datos/<str:name>.<str:fmt>", views.dataset, name="dataset"),
    path("reportes/", views.reports, name="reports"),
    path("reportes/<int:pk>/descargar/", views.report_download, name="report_download"),
    path("evidencias/<int:pk>/descargar/", views.evidence_download, name="evidence_download"),
    path("<slug:cycle>/", views.panorama, name="panorama"),
    path("<slug:cycle>/<str:acronym>/", views.scorecard, name="scorecard"),
]
