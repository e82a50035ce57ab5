"""The API's lists, kept until the data changes: the pages' cache (``npc_tracker.pagecache``)
for the phones.

A list's answer is kept under the data's generation (read in the token's query,
``api.authentication``; in the user's with a session), the user, the language, the
address with its query, the media type answered and the day. The request is authenticated,
allowed and throttled as any other; a kept answer replaces the list's reading and
rendering. An ETag of the same key answers 304 while nothing changed.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation

from npc_tracker.pagecache import kept_cache, key_of, mark, release, wants_fresh


class KeptListMixin:
    def kept_key(self, request) -> str | None:
        data_generation = getattr(request.user, "npc_generation", None)
        if data_generation is None or request.method != "GET":
            return None
        parts = [
            release(),
            data_generation,
            str(request.user.pk),
            translation.get_language(),
            timezone.localdate().isoformat(),
            request.get_full_path(),
            request.accepted_media_type or "",
        ]
        return key_of("api", parts)

    def get(self, request, *args, **kwargs):
        key = self.kept_key(request)
        if key is None:
            return super().get(request, *args, **kwargs)
        etag = f'"{key}"'
        fresh = wants_fresh(request)
        if not fresh and etag in request.headers.get("If-None-Match", ""):
            return mark(HttpResponseNotModified(), etag)
        cache = kept_cache()
        kept = None if fresh else cache.get(key)
        if kept is None:
            response = super().get(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            kept = (response.rendered_content, response["Content-Type"])
            cache.set(key, kept, settings.PAGE_CACHE_SECONDS)
        content, content_type = kept
        return mark(HttpResponse(content, content_type=content_type), etag)
