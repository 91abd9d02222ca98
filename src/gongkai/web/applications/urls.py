from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list_view, name="list"),
    path("new/", views.register_view, name="register"),
    path("new/hints/", views.register_hints, name="register-hints"),
    path("ledger/", views.ledger_view, name="ledger"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("deadline-settings/<int:body_id>/", views.deadline_policy_view, name="deadline-policy"),
    path("<int:pk>/files/<int:file_id>/", views.application_files, name="file"),
    path("<int:pk>/history/", views.application_history, name="history"),
    path("<int:pk>/actions/<str:action>/", views.application_action, name="action"),
]
