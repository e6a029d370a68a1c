from django.urls import path

from reports import figure_views as views

app_name = "figures"

urlpatterns = [
    path("cifras/", views.national_figures, name="national"),
    path("cifras/<str:acronym>/", views.agency_figures, name="agency"),
    path("entidades/", views.states, name="states"),
    path("entidades/<str:code>/", views.state, name="state"),
    path("recomendaciones/", views.recommendations, name="recommendations"),
]
