# One image for web, worker and beat (as cookiecutter-django does).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_STATIC_MANIFEST=1
WORKDIR /app

COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY . .
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /app/media && chown app:app /app/media
USER app

EXPOSE 8000
CMD ["gunicorn", "npc_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
