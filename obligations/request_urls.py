from django.urls import path

from obligations import request_views as views

app_name = "requests"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/obligacion/<int:obligation_id>/", views.answer_edit, name="answer"),
    path("anexo/<int:pk>/", views.attachment_download, name="attachment"),
    path("documento/<int:pk>/", views.answer_document_download, name="answer_document"),
    path("replicas/", views.reply_list, name="replies"),
    path("replicas/<int:assessment_id>/", views.reply_edit, name="reply"),
    path("replicas/documento/<int:pk>/", views.reply_document_download, name="reply_document"),
]
