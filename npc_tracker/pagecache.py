"""The everyday pages, kept rendered until the data they show changes.

A signed-in GET of a page named in ``PAGE_CACHE_VIEWS`` is kept, whole, under a key made of
what the page depends on:

- the data's generation (``npc_tracker.generation``), which every committed write to a
  table the pages read moves, by a database trigger, in the write's own transaction;
- the session and its user (so a page is only ever served to the session it was drawn
  for: its CSRF token, its name in the header), and the CSRF cookie the token derives from;
- the language, today's date (deadlines and "days left" change at midnight), the address
  with its query, the htmx headers, and the code's release (a deployment draws anew).

A page is kept only when the request drawing it wrote nothing, it answered 200 and set no
cookie (but the CSRF cookie renewed as it was), and no message was waiting (a flash message
is shown once). The answer
carries an ETag of the same key with ``Cache-Control: private, no-cache``: the browser asks
again every time and gets a 304 while nothing changed. Reading the generation is the one
query of a kept page, made with the user's (``npc_tracker.auth``); the sessions come from
the cache already.

Placed after the idle timeout (which must still see and renew every request) and before
the middleware that reads the user from the database on every request.
"""

import hashlib
import os
from functools import cache as memoize
from pathlib import Path

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from . import generation

MESSAGES_SESSION_KEY = "_messages"
MESSAGES_COOKIE = "messages"


@memoize
def release() -> str:
    """The deployed code's identity: ``NPC_RELEASE`` when the image sets one, else a digest
    of the code, templates and catalogs' names, sizes and times (the same in every worker
    of a deployment)."""
    if os.environ.get("NPC_RELEASE"):
        return os.environ["NPC_RELEASE"]
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for top in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if top.name in ("node_modules", "media", "staticfiles", "tests"):
            continue
        for path in sorted(top.rglob("*")):
            if path.suffix in (".py", ".html", ".mo", ".txt") and ".venv" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def key_of(prefix: str, parts: list[str]) -> str:
    """A kept answer's cache key (and ETag) from what it depends on."""
    return f"{prefix}:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


def wants_fresh(request) -> bool:
    """A forced reload (``Cache-Control: no-cache``): drawn anew, whatever is kept."""
    return "no-cache" in request.headers.get("Cache-Control", "")


def mark(response, etag: str):
    """The answer's ETag; the browser keeps it privately and asks again each time."""
    response.headers["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


def kept_cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(getattr(settings, "PAGE_CACHE_VIEWS", ()))
        self.seconds = getattr(settings, "PAGE_CACHE_SECONDS", 600)
        self.cache = kept_cache()

    def __call__(self, request):
        key = self.key(request) if self.views and request.method == "GET" else None
        if key is None:
            return self.get_response(request)
        data_generation, key = key
        etag = f'"{key}"'
        fresh = wants_fresh(request)
        if not fresh and etag in request.headers.get("If-None-Match", ""):
            return mark(HttpResponseNotModified(), etag)
        # A browser's forced reload (Cache-Control: no-cache) is drawn anew, and kept.
        kept = None if fresh else self.cache.get(key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            return mark(response, etag)
        writes = _Writes()
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        if self.storable(request, response) and not writes.seen:
            headers = [(k, v) for k, v in response.headers.items() if k.lower() != "set-cookie"]
            self.cache.set(key, (response.content, headers), self.seconds)
            mark(response, etag)
        return response

    def key(self, request) -> tuple[str, str] | None:
        """The data's generation and the page's key; None for a page not kept."""
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if view_name not in self.views:
            return None
        session = request.session
        user = session.get(SESSION_KEY)
        csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if user is None or session.session_key is None:
            return None
        if MESSAGES_SESSION_KEY in session or MESSAGES_COOKIE in request.COOKIES:
            return None  # a message waits to be shown once
        # Read with the user (npc_tracker.auth): the request's one query when the page is kept.
        data_generation = getattr(request.user, "npc_generation", None)
        if data_generation is None and request.user.is_authenticated:
            data_generation = generation.current()
        if data_generation is None:
            return None
        parts = [
            release(),
            data_generation,
            session.session_key,
            str(user),
            session.get(HASH_SESSION_KEY, ""),
            csrf,
            translation.get_language(),
            timezone.localdate().isoformat(),
            request.get_host(),
            request.get_full_path(),
            *(
                f"{k}={v}"
                for k, v in sorted(request.headers.items())
                if k.lower().startswith("hx-")
            ),
        ]
        return data_generation, key_of("page", parts)

    @staticmethod
    def storable(request, response) -> bool:
        return (
            # The page's CSRF token comes from the cookie the key holds (not a new one).
            request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
            and response.status_code == 200
            and not response.streaming
            # No cookie but the CSRF cookie renewed as it was (the admin's views renew it
            # themselves, through csrf_protect).
            and all(
                name == settings.CSRF_COOKIE_NAME
                and morsel.value == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
                for name, morsel in response.cookies.items()
            )
            and not request.session.modified
            and not getattr(getattr(request, "_messages", None), "added_new", False)
        )


class _Writes:
    """Whether the request wrote to the database (a page drawn by a request that wrote may
    show what the write's transaction then rolled back: it is not kept)."""

    VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC")

    def __init__(self):
        self.seen = False

    def __call__(self, execute, sql, params, many, context):
        if not self.seen and sql.lstrip()[:6].upper() in self.VERBS:
            self.seen = True
        return execute(sql, params, many, context)
