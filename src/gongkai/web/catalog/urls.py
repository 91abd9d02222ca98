from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("review/", views.review_queue, name="queue"),
    path("overdue/", views.overdue, name="overdue"),
    path("held/", views.held, name="held"),
    path("figures/", views.figures, name="figures"),
    path("guide/", views.guide_draft, name="guide"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
]
