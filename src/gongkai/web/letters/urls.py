from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("staff/letters/", views.template_list, name="templates"),
    path("staff/letters/<int:body_id>/settings/", views.settings_edit, name="settings"),
    path("staff/letters/<int:body_id>/templates/<str:key>/", views.template_edit, name="template-edit"),
    path("staff/cases/<int:app_id>/letters/<str:key>/", views.letter_draft, name="draft"),
    path("staff/letters/<int:pk>.<str:fmt>", views.letter_download, name="download"),
    # the applicant's copy, by query code (linked from the public status page)
    path("ysqgk/letters/<str:code>/<int:pk>.<str:fmt>", views.public_download, name="public-download"),
]
