from django.urls import path

from . import views

app_name = "channels"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_new, name="new"),
    path("import/", views.import_xlsx, name="import"),
    path("template.xlsx", views.template_xlsx, name="template"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.entry_edit, name="edit"),
    path("item/<int:pk>/", views.helpers, name="helpers"),
    path("item/<int:pk>/sheet.pdf", views.sheet, name="sheet"),
]
