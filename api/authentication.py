"""The API's authentication classes (``REST_FRAMEWORK``): a device's token, besides the
site's session. Kept apart from the login views: DRF imports this module while its own
views module loads."""

import binascii
from hmac import compare_digest

from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

from npc_tracker import generation


class DeviceTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``; an expired or revoked token is a 401.

    One query per request (the token with its user). knox also reads all the user's
    other tokens on every request to delete the expired ones; here only the token used is
    checked, and the others expired are deleted when the user logs in again
    (``api.auth.LoginView``)."""

    def authenticate_credentials(self, token):
        """knox's, with the data's generation read in the token's query
        (``npc_tracker.generation``): the lists' kept answers are keyed by it
        (``api.kept``)."""
        token = token.decode("utf-8")
        expression = generation.sql()
        tokens = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
        )
        if expression is not None:
            tokens = tokens.annotate(
                npc_generation_raw=RawSQL(expression, (), output_field=TextField())
            )
        for auth_token in tokens:
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(token)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
            if compare_digest(digest, auth_token.digest):
                raw = getattr(auth_token, "npc_generation_raw", None)
                auth_token.user.npc_generation = generation.parse(raw)
                return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.DeviceTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("“Token ” followed by the token the login returned.")),
        }
