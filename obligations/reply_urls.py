from django.urls import path

from obligations import views

app_name = "replies"

urlpatterns = [
    path("", views.reply_list, name="list"),
    path("<int:assessment_id>/", views.reply_edit, name="reply"),
    path("documento/<int:pk>/", views.reply_document_download, name="document"),
]
