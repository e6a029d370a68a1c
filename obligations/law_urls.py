from django.urls import path

from obligations import law_views as views

app_name = "law"

urlpatterns = [
    path("", views.index, name="index"),
    path("dependencias/<str:acronym>/", views.agency, name="agency"),
    path("reformas/<str:day>/", views.reform, name="reform"),
]
