from django.urls import path

from reports import job_views

app_name = "report_jobs"

urlpatterns = [
    path("solicitar/", job_views.request_report, name="request"),
    path("ultimo/", job_views.latest, name="latest"),
    path("<int:job_id>/", job_views.status, name="status"),
    path("<int:job_id>/descargar/", job_views.download, name="download"),
    path("<int:job_id>/reintentar/", job_views.retry, name="retry"),
]
