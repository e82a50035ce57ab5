"""Signing in from a device: a token per device (django-rest-knox, stored hashed, expiring
after ``REST_KNOX["TOKEN_TTL"]``), listed and revocable by its user.

The token login is a login like the page's: django-axes counts its failures and locks the
username from that address after ``AXES_FAILURE_LIMIT`` of them (HTTP 429, whatever the
password), and it is throttled per address besides.
"""

import uuid

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from npc_tracker.security import locked_out_problem

from .models import DeviceToken
from .problems import problem
from .throttles import Login


class LoginIn(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    device = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("A name for this device, shown in the list of devices."),
    )


class DeviceOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        return token.digest == getattr(self.context.get("current"), "digest", None)


class LoginOut(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(allow_null=True)
    device = DeviceOut()


def _locked_out():
    # The same answer django-axes's middleware gives (npc_tracker.security).
    return locked_out_problem(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def _no_session(django_request):
    """Drop the anonymous session the login signals' receivers made (django-axes keys its
    access log on one): a token is the device's credential, so no session row and no
    cookie. A signed-in session (the site's own pages) is left alone."""
    session = getattr(django_request, "session", None)
    if session is not None and session.get(SESSION_KEY) is None:
        session.flush()


class LoginView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [Login]

    @extend_schema(request=LoginIn, responses={201: LoginOut}, tags=["auth"], auth=[])
    def post(self, request):
        """Sign in with a username and password; the token for this device."""
        given = LoginIn(data=request.data)
        given.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(
            django_request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            return _locked_out()
        if user is None or not user.is_active:
            return problem(
                status.HTTP_400_BAD_REQUEST,
                code="invalid_login",
                detail=_("The username or the password is not right."),
            )
        # The user's tokens expired on other devices go now (a request checks its own only).
        DeviceToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        live = DeviceToken.objects.filter(user=user)
        if live.count() >= settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]:
            return problem(
                status.HTTP_400_BAD_REQUEST,
                code="too_many_devices",
                detail=_("Too many devices are signed in: sign one out first."),
            )
        token, key = DeviceToken.objects.create(user=user, name=given.validated_data["device"])
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        _no_session(django_request)
        body = {"token": key, "expiry": token.expiry, "device": token}
        data = LoginOut(body, context={"current": token}).data
        return Response(data, status=status.HTTP_201_CREATED)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def post(self, request):
        """Sign this device out: its token stops working at once."""
        if isinstance(request.auth, DeviceToken):
            request.auth.delete()
            user_logged_out.send(
                sender=request.user.__class__, request=request._request, user=request.user
            )
            _no_session(request._request)
        else:  # signed in by the site's session: it ends, as the page's logout
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceList(APIView):
    pagination_class = None

    @extend_schema(responses={200: DeviceOut(many=True)}, tags=["auth"])
    def get(self, request):
        """My devices signed in now (not expired), newest first."""
        tokens = DeviceToken.objects.filter(user=request.user).filter(
            models.Q(expiry__gt=timezone.now()) | models.Q(expiry__isnull=True)
        )
        context = {"current": request.auth if isinstance(request.auth, DeviceToken) else None}
        return Response(DeviceOut(tokens, many=True, context=context).data)


class DeviceDetail(APIView):
    @extend_schema(responses={204: None}, tags=["auth"])
    def delete(self, request, id: uuid.UUID):
        """Sign one of my devices out (a lost phone); another user's device is a 404."""
        deleted, _count = DeviceToken.objects.filter(user=request.user, public_id=id).delete()
        if not deleted:
            return problem(404, code="not_found", detail=_("No such device."))
        return Response(status=status.HTTP_204_NO_CONTENT)
