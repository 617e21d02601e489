"""Account pages: the user's account, password change, second-factor enrolment, verification and removal."""

from base64 import b32encode
from io import BytesIO

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..models import Role
from ..tenancy import current_membership, member_required
from . import selectors, services
from .forms import CodeForm
from .lockout import is_locked_out, lockout_response
from .two_factor import confirmed_device, remember_enrolment, role_requires_two_factor


def next_url(request, default="account"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "device": confirmed_device(request.user),
        "two_factor_required": role_requires_two_factor(current_membership(request)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(user=request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # This session stays open; the user's other sessions and API tokens end with the old password.
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password has been changed. Your API tokens and other sessions have ended."))
        return redirect("account")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


def qr_code_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg"):])  # noqa: S308 (generated here, no user input but the username)


def grouped_key(device):
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if confirmed_device(request.user) is not None:
        return redirect("account")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            remember_enrolment(request.session, True)
            messages.success(request, _("Two-step verification is on: from now on, you will give a code after your "
                                        "password."))
            return redirect(next_url(request))
        form.add_error("otp_token", _("This code is not valid. Check your phone's clock and try the next code."))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr_code": qr_code_svg(device.config_url), "key": grouped_key(device),
        "required": role_requires_two_factor(current_membership(request)), "next": next_url(request, ""),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of a login: the code of the user's device. Wrong codes count as failed logins."""
    device = confirmed_device(request.user)
    if request.user.is_verified() or device is None:
        remember_enrolment(request.session, device is not None)
        return redirect(next_url(request, "home"))
    credentials = {"username": request.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        logout(request)
        return lockout_response(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            otp_login(request, device)
            return redirect(next_url(request, "home"))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if is_locked_out(request):
            logout(request)
            return lockout_response(request)
        form.add_error("otp_token", _("This code is not valid. Try the next code of your app."))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url(request, "")},
                  status=status)


@login_required
@require_POST
def two_factor_remove(request):
    if role_requires_two_factor(current_membership(request)):
        messages.error(request, _("Your role requires two-step verification: it cannot be turned off."))
        return redirect("account")
    device = confirmed_device(request.user)
    form = CodeForm(request.POST)
    if device is None or not form.is_valid() or not device.verify_token(form.cleaned_data["otp_token"]):
        messages.error(request, _("This code is not valid: two-step verification stays on."))
        return redirect("account")
    TOTPDevice.objects.filter(user=request.user).delete()
    remember_enrolment(request.session, False)
    messages.success(request, _("Two-step verification is off."))
    return redirect("account")


@member_required
@require_http_methods(["GET", "POST"])
def locked_accounts(request):
    """Managers see the locked-out accounts of their CPAS and unlock them."""
    membership = current_membership(request)
    if membership.role != Role.MANAGER:
        raise PermissionDenied(_("Only a manager may unlock an account."))
    if request.method == "POST":
        services.lockout_lift(acting_user=request.user, username=request.POST.get("username", ""))
        messages.success(request, _("%(username)s may log in again.") % {"username": request.POST["username"]})
        return redirect("locked_accounts")
    return render(request, "accounts/locked_accounts.html",
                  {"accounts": selectors.locked_accounts(cpas=membership.cpas)})
