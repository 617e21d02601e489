from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/two-step/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-step/remove/", views.two_factor_remove, name="two_factor_remove"),
    path("account/locked/", views.locked_accounts, name="locked_accounts"),
    path("login/code/", views.two_factor_verify, name="two_factor_verify"),
]
