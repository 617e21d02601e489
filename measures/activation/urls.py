from django.urls import path

from . import views

urlpatterns = [
    path("activation/", views.activation_list, name="activation_list"),
    path("activation/new/", views.activation_create, name="activation_create"),
    path("activation/allocation/", views.activation_allocation, name="activation_allocation"),
    path("activation/<int:pk>/", views.activation_detail, name="activation_detail"),
    path("activation/<int:pk>/edit/", views.activation_edit, name="activation_edit"),
    path("activation/<int:pk>/report/", views.activation_report_request, name="activation_report_request"),
    path("activation/reports/<int:pk>/", views.activation_report_progress, name="activation_report_progress"),
    path("activation/reports/<int:pk>/retry/", views.activation_report_retry, name="activation_report_retry"),
    path("activation/reports/<int:pk>/pdf/", views.activation_report_pdf, name="activation_report_pdf"),
]
