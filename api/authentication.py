"""The API's authentication classes (``REST_FRAMEWORK``): a device's token, besides the
site's session. Kept apart from the login views: DRF imports this module while its own
views module loads."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication


class DeviceTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <token>``; an expired or revoked token is a 401.

    One query per request (the token with its user). knox also reads all the user's
    other tokens on every request to delete the expired ones; here only the token used is
    checked, and the others expired are deleted when the user logs in again
    (``api.auth.LoginView``)."""

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
