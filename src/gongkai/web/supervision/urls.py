from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("upload/", views.batch_upload, name="upload"),
    path("<int:pk>/", views.batch_detail, name="batch"),
    path("<int:pk>/progress/", views.batch_progress_view, name="progress"),
    path("report/<int:pk>/", views.submission_detail, name="report"),
    path("report/<int:pk>/compare.html", views.submission_compare, name="compare"),
    path("finding/<int:pk>/", views.finding_act, name="finding"),
    path("duban/", views.duban_list, name="duban-list"),
    path("duban/<int:pk>/", views.duban_detail, name="duban"),
    path("review/<int:office_id>/<int:year>.<str:fmt>", views.review_export, name="export"),
]
