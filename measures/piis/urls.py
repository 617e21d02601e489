from django.urls import path

from . import views

urlpatterns = [
    path("piis/", views.piis_list, name="piis_list"),
    path("piis/new/", views.piis_create, name="piis_create"),
    path("piis/appointments/", views.piis_agenda, name="piis_agenda"),
    path("piis/<int:pk>/", views.piis_detail, name="piis_detail"),
    path("piis/<int:pk>/edit/", views.piis_edit, name="piis_edit"),
    path("piis/<int:pk>/sign/", views.piis_sign, name="piis_sign"),
    path("piis/<int:pk>/end/", views.piis_end, name="piis_end"),
    path("piis/<int:pk>/cancel/", views.piis_cancel, name="piis_cancel"),
    path("piis/<int:pk>/evaluations/", views.piis_evaluation_add, name="piis_evaluation_add"),
    path("piis/<int:pk>/pdf/", views.piis_pdf, name="piis_pdf"),
    path("piis/evaluations/<int:pk>/record/", views.evaluation_record, name="piis_evaluation_record"),
]
