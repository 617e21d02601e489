"""API tokens (django-rest-knox): issued for a username, a password and, with a device, a code.

Tokens are stored hashed, expire after ``REST_KNOX["TOKEN_TTL"]``, and end on logout, on a password
change and on deactivation (``signals.py``). The endpoint is throttled per address and under django-axes
like the login page.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox import views as knox_views
from knox.models import get_token_model
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .lockout import is_locked_out, lockout_response
from .two_factor import confirmed_device, user_requires_two_factor


class ApiLoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False, allow_blank=True,
        help_text=gettext_lazy("The current code of the user's authenticator app; required once they have one."),
    )


class ApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy("Send it as the header `Authorization: Token <token>`."))
    expiry = serializers.DateTimeField()


class TokenThrottle(AnonRateThrottle):
    scope = "auth_token"

    def get_rate(self):
        return settings.CPAS_TOKEN_THROTTLE_RATE


ERROR = inline_serializer("ApiTokenError", {"detail": serializers.CharField()})


class TokenView(APIView):
    """Exchange a username, a password (and a code) for an API token that expires."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        summary="Get an API token",
        request=ApiLoginSerializer,
        responses={
            200: ApiTokenSerializer,
            400: OpenApiResponse(description="Wrong credentials, or a missing or wrong code."),
            403: OpenApiResponse(ERROR, description="Two-step verification must be set up first."),
            429: OpenApiResponse(ERROR, description="Too many failed attempts or requests: locked out or throttled."),
        },
    )
    def post(self, request):
        data = ApiLoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, code = data.validated_data["username"], data.validated_data.get("otp", "")
        # django-axes reads and flags the Django request, not DRF's wrapper.
        http_request = request._request
        user = authenticate(http_request, username=username, password=data.validated_data["password"])
        if is_locked_out(http_request):
            return lockout_response(http_request)
        if user is None:
            raise ValidationError({"non_field_errors": [_("Unable to log in with the given username and password.")]})
        device = confirmed_device(user)
        if device is not None and not (code and device.verify_token(code)):
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=http_request)
            if is_locked_out(http_request):
                return lockout_response(http_request)
            raise ValidationError({"otp": [_("A valid code from your authenticator app is required.")]})
        if device is None and user_requires_two_factor(user):
            raise PermissionDenied(_("Set up two-step verification on your account page before asking for a token."))
        instance, token = get_token_model().objects.create(user=user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(ApiTokenSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutView(knox_views.LogoutView):
    @extend_schema(summary="End this API token", request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)


class LogoutAllView(knox_views.LogoutAllView):
    @extend_schema(summary="End every API token of this user", request=None, responses={204: None})
    def post(self, request, format=None):
        return super().post(request, format)
