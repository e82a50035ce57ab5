# Two images from one build (docker-compose.yml builds both):
#   app   (the default target): web, worker, beat and the migrate step, as cookiecutter-django
#         shares one image; Python 3.11 slim, run as the unprivileged user "app".
#   nginx: nginx with the collected static files.
# The translations are compiled here with GNU gettext: compilemessages rebuilds any
# committed locale/*.mo older than its .po, so the image never carries a stale catalogue.

FROM python:3.11-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# A PyPI mirror may be given (docker compose build --build-arg PIP_INDEX_URL=...): every
# package is still checked against the hashes locked in requirements/base.txt.
ARG PIP_INDEX_URL=https://pypi.org/simple
COPY requirements/base.txt /tmp/base.txt
RUN pip install --index-url "$PIP_INDEX_URL" --require-hashes -r /tmp/base.txt

WORKDIR /app
COPY . .
# The settings refuse to load without a secret key: a throwaway one, for these two
# commands only (it is in no ENV and in neither final image).
RUN export DJANGO_SECRET_KEY=build-only-not-a-secret DJANGO_STATIC_MANIFEST=1 \
    && python manage.py compilemessages -l zh_Hans \
    && python manage.py collectstatic --no-input


FROM nginx:1.27-alpine AS nginx
# deploy/nginx.conf is mounted by docker-compose.yml; the static files travel with the image
# so that they always match the app image built beside it.
COPY --from=build /app/staticfiles /srv/static


FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_STATIC_MANIFEST=1 DJANGO_MEDIA_ROOT=/app/media
RUN useradd --uid 1000 --create-home --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays root's: the app user reads it and writes only the media folder.
COPY --from=build /app /app
RUN mkdir -p /app/media && chown app:app /app/media
USER app

EXPOSE 8000
# /healthz answers on plain HTTP inside the container (slim images have no curl).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=5)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "npc_tracker.wsgi:application"]
