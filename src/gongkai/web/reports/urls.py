from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("start/", views.report_start, name="start"),
    path("supervise/", views.supervise, name="supervise"),
    path("<int:pk>/", views.report_compose, name="compose"),
    path("<int:pk>/check/", views.report_check, name="check"),
    path("<int:pk>/download.<str:kind>", views.report_download, name="download"),
]
