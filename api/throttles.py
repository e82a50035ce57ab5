"""Throttling per user and per address (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``,
set by ``DJANGO_API_RATE_*``); the token login has a stricter one per address, besides the
lockout (django-axes) that every login has."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from npc_tracker.security import client_ip


class Rate(SimpleRateThrottle):
    def get_rate(self):
        # Read when asked, not when the class was defined: the settings decide.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class PerUser(Rate):
    """A signed-in user's requests, from all their devices together."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PerAddress(Rate):
    """Every request from one address (nginx's X-Forwarded-For behind the proxy)."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class Login(PerAddress):
    scope = "login"
