from django.urls import path

from . import views

urlpatterns = [
    path("interventions/", views.intervention_list, name="intervention_list"),
    path("interventions/new/", views.intervention_create, name="intervention_create"),
    path("interventions/<int:pk>/", views.intervention_detail, name="intervention_detail"),
    path("interventions/<int:pk>/edit/", views.intervention_edit, name="intervention_edit"),
]
