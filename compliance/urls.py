from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from compliance import views
from reports import public_views

admin.site.site_header = "Seguimiento de la Ley General en materia de trata de personas"
admin.site.site_title = "Seguimiento LGPSEDMTP"
admin.site.index_title = "Administración"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("entrar/", auth_views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("idioma/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("reportes/", include("reports.job_urls")),
    path("", include("reports.urls")),
    path("evidencias/", include("obligations.urls")),
    path("replicas/", include("obligations.reply_urls")),
    path("solicitudes/", include("information_requests.urls")),
    path("publico/", include("reports.public_urls")),
    path("ley/", include("obligations.law_urls")),
    path("", include("reports.figure_urls")),
    path("verificar/", public_views.verify, name="verify"),
    path("api/v1/", include("reports.api_urls")),
]
