from django.urls import path

from . import views

urlpatterns = [
    path("conventions/", views.convention_list, name="convention_list"),
    path("conventions/new/", views.convention_create, name="convention_create"),
    path("conventions/<int:pk>/", views.convention_detail, name="convention_detail"),
    path("conventions/<int:pk>/edit/", views.convention_edit, name="convention_edit"),
    path("conventions/<int:pk>/sign/", views.convention_sign, name="convention_sign"),
    path("conventions/<int:pk>/cancel/", views.convention_cancel, name="convention_cancel"),
    path("conventions/<int:pk>/hours/<int:entry_pk>/", views.hours_entry, name="convention_hours_entry"),
    path("conventions/<int:pk>/hours/<int:entry_pk>/cancel/", views.hours_entry_cancel,
         name="convention_hours_entry_cancel"),
    path("conventions/<int:pk>/hours/", views.convention_hours, name="convention_hours"),
    path("conventions/<int:pk>/close/", views.convention_close, name="convention_close"),
    path("conventions/<int:pk>/partners/<int:partner_pk>/claim/", views.partner_claim_create,
         name="convention_partner_claim"),
    path("conventions/<int:pk>/payments/<int:payment_pk>/paid/", views.payment_paid, name="convention_payment_paid"),
]
