from django.urls import path

from information_requests import views

app_name = "information_requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/obligacion/<int:obligation_id>/", views.answer_edit, name="answer"),
    path("anexo/<int:pk>/", views.attachment_download, name="attachment"),
    path("documento/<int:pk>/", views.answer_document_download, name="answer_document"),
]
