from django.urls import path

from . import views

urlpatterns = [
    path("placements/", views.placement_list, name="placement_list"),
    path("placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/approve/", views.placement_approve, name="placement_approve"),
    path("placements/<int:pk>/cancel/", views.placement_cancel, name="placement_cancel"),
    path("placements/<int:pk>/end/", views.placement_end, name="placement_end"),
    path("placements/<int:pk>/pay/", views.placement_pay, name="placement_pay"),
    path("placements/<int:pk>/pay/<int:pay_pk>/", views.placement_pay_edit, name="placement_pay_edit"),
    path("placements/<int:pk>/pay/<int:pay_pk>/delete/", views.placement_pay_delete, name="placement_pay_delete"),
    path("placements/<int:pk>/premiums/new/", views.art61_premium_create, name="art61_premium_create"),
    path("firm-employments/", views.firm_employment_list, name="firm_employment_list"),
    path("firm-employments/new/", views.firm_employment_create, name="firm_employment_create"),
    path("firm-employments/<int:pk>/", views.firm_employment_detail, name="firm_employment_detail"),
    path("firm-employments/<int:pk>/edit/", views.firm_employment_edit, name="firm_employment_edit"),
    path("placements/regularisations/", views.regularisation_list, name="regularisation_list"),
    path("budgets/", views.budget_overview, name="budget_overview"),
    path("budgets/<int:year>/", views.budget_overview, name="budget_year"),
    path("budgets/allocation/", views.budget_allocation, name="budget_allocation"),
]
