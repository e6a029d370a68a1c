from django.urls import path

from obligations import views

app_name = "obligations"

urlpatterns = [
    path("<int:pk>/descargar/", views.evidence_download, name="evidence_download"),
]
