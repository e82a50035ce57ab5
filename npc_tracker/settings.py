"""Settings for npc_tracker, read from the environment (12-factor).

With nothing set the app runs on SQLite with Celery tasks executed in-process (the demo
and small-office default). ``DATABASE_URL`` selects PostgreSQL; ``REDIS_URL`` a Redis
broker and cache, with a Celery worker and exactly one beat doing the periodic work.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A server refuses to start without its own key; only the demo (DEBUG) runs on a known one.
# The tests' settings (settings_test.py) provide a test-only key.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (see .env.example)."
        )
    SECRET_KEY = "django-insecure-demo-key-set-DJANGO_SECRET_KEY-in-production"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_fsm_log",
    # django-auditlog and django-axes under names the admin shows in Chinese (apps.py).
    "npc_tracker.apps.AuditlogConfig",
    "import_export",
    "django_htmx",
    "npc_tracker.apps.AxesConfig",
    "csp",
    "npc_tracker.apps.ProjectConfig",
    "sheets",
    "suggestions",
    "deputies",
    "stations",
    "reports",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First: answers /healthz before host validation, redirects and sessions.
    "npc_tracker.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "npc_tracker.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "npc_tracker.middleware.SessionIdleTimeoutMiddleware",
    # Serves the everyday pages it kept while the data is unchanged (npc_tracker.pagecache):
    # after the idle timeout, before what reads the user on every request.
    "npc_tracker.pagecache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "npc_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's templates, and the e-mails of the notifications package (an app's
        # sub-package, which the app directories loader does not look into).
        "DIRS": [BASE_DIR / "templates", BASE_DIR / "suggestions" / "notifications" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One fragment renders with Jinja2, the task list's rows (npc_tracker/jinja.py); its view
# names the engine, so a template name never falls through to the other.
TEMPLATES.append(
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "npc_tracker.jinja.environment", "auto_reload": DEBUG},
    }
)

WSGI_APPLICATION = "npc_tracker.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each worker keeps its connection (checked before reuse) instead of opening one for every
# request: a new PostgreSQL connection cost a kept page 5 to 8 ms, ten times the rest of it
# (docs/performance.md, issue 19). 0 closes it after every request, as before.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler pays off for long analytical queries, not for this
    # application's: it compiled the ledger's and the reminder sweep's plans on every run
    # and cost them a quarter of their time (docs/performance.md).
    # work_mem: the year's duty ranking sorts 100,000 deputies three times (two ranks and
    # the order); PostgreSQL's default 4 MB sends each sort to temporary files.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c jit=off -c work_mem=32MB"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def _next_database(url: str) -> str:
    """The same Redis server's next database: redis://host:6379/0 -> redis://host:6379/1."""
    parts = urlsplit(url)
    number = parts.path.strip("/")
    return urlunsplit(parts._replace(path=f"/{int(number) + 1 if number.isdigit() else 1}"))


if REDIS_URL:
    # The cache in a database of its own: Django's cache.clear() empties its whole database
    # (FLUSHDB), which in the broker's would drop the queued tasks and the queues' bindings
    # (a test clearing the cache lost the reminder sweeps waiting for a stopped worker).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_CACHE_URL", default=_next_database(REDIS_URL)),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed file names need `collectstatic` first: the image sets
# DJANGO_STATIC_MANIFEST=1. Without it (the demo, the tests) WhiteNoise serves the files
# from the apps' folders under their plain names.
STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Uploaded documents (signed replies) live outside the static files and are served only
# through views that check the user may see the suggestion.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# For EMAIL_URL=filemail:// (a folder of sent messages, e.g. for a test's worker).
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", default="")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="npc-tracker@localhost")
# Resetting a forgotten password by e-mail: only where e-mail really goes out (EMAIL_URL
# set), and at most PASSWORD_RESET_HOURLY requests an hour from one address.
PASSWORD_RESET_ENABLED = env.bool(
    "DJANGO_PASSWORD_RESET", default=bool(env("EMAIL_URL", default=""))
)
PASSWORD_RESET_HOURLY = env.int("DJANGO_PASSWORD_RESET_HOURLY", default=5)

# Celery: a Redis broker in a real deployment; without REDIS_URL tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# One queue per deployment; a test's own worker listens on a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env("NPC_CELERY_QUEUE", default="celery")

DJANGO_FSM_LOG_STORAGE_METHOD = "django_fsm_log.backends.SimpleBackend"

# The product's own rules. Each is a setting so an office can follow its local regulation.
NPC = {
    # The committee's name, the heading of the printed handling record.
    "COMMITTEE_NAME": env("NPC_COMMITTEE_NAME", default=""),
    # Congress term (届) and session (会次) new suggestions belong to when none is given.
    "CURRENT_TERM": env.int("NPC_CURRENT_TERM", default=16),
    "CURRENT_SESSION": env.int("NPC_CURRENT_SESSION", default=3),
    # Deputies Law: a reply within 3 months of assignment, 6 for a complex suggestion.
    "DEADLINE_MONTHS": 3,
    "COMPLEX_DEADLINE_MONTHS": 6,
    # An extension never moves a deadline past this many months after assignment.
    "MAX_EXTENSION_MONTHS": 6,
    # Redo: handled again within this many months (or working days when set).
    "REDO_MONTHS": 1,
    "REDO_WORKING_DAYS": None,
    # A unit may ask for reassignment within this many working days of assignment.
    "REASSIGNMENT_WINDOW_WORKING_DAYS": 7,
    # Co-handling units owe the lead unit their opinion within this many months.
    "CO_OPINION_MONTHS": 1,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Reminders (see docs/architecture.md): days before a deadline, the overdue repeat, the
# sign-off wait, and how often the beat runs the sweep.
NPC_REMINDERS = {
    "DAYS_BEFORE": [15, 7, 3, 1],
    "OVERDUE_EVERY_DAYS": 7,
    "SIGNOFF_WAIT_DAYS": 15,
    # An opinion heard at a station and not moved on is reminded to its keepers.
    "OPINION_WAIT_DAYS": 15,
    "SWEEP_MINUTES": env.float("NPC_SWEEP_MINUTES", default=15),
    # How reminders reach people; an SMS provider subclasses
    # suggestions.notifications.channels.SmsChannel.
    "CHANNELS": ["suggestions.notifications.channels.EmailChannel"],
}
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "suggestions.notifications.tasks.sweep_reminders",
        "schedule": NPC_REMINDERS["SWEEP_MINUTES"] * 60,
    },
}

# The pages (suggestions/views/): login lands on the role's home; the header's unread
# notification count.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
TEMPLATES[0]["OPTIONS"]["context_processors"].append(
    "suggestions.views.notifications.notification_context"
)

# --- Security (docs/deploy.md; OWASP ASVS level 2, MLPS application controls) -----------

# Behind nginx: trust its X-Forwarded-Proto for HTTPS and its X-Forwarded-For for the
# client's address (login lockout). Never set it when clients reach gunicorn directly.
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# The container's health check speaks plain HTTP on the inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading means asking browsers' vendors to list the domain; intranet hosts cannot be.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "npc_tracker.views.csrf_failure"

# Sessions are kept in the database and read through the cache (Redis in a deployment):
# a page reads its session without a query, and a restart of Redis loses none.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The pages kept rendered until a write changes the data (npc_tracker.pagecache), by URL
# name; empty (DJANGO_PAGE_CACHE=0) keeps none.
PAGE_CACHE_VIEWS = (
    [
        "tasks:list",
        "tasks:detail",
        "status:list",
        "status:detail",
        "admin:suggestions_suggestion_changelist",
    ]
    if env.bool("DJANGO_PAGE_CACHE", default=True)
    else []
)
PAGE_CACHE_SECONDS = env.int("DJANGO_PAGE_CACHE_SECONDS", default=600)

# Idle timeout: a session unused this long is over (npc_tracker.middleware).
SESSION_IDLE_MINUTES = env.int("DJANGO_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content Security Policy: nothing from elsewhere, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login protection (django-axes): 5 failures lock that username from that address for
# 15 minutes; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the data's generation (npc_tracker.auth).
    "npc_tracker.auth.GenerationModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "npc_tracker.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "npc_tracker.security.client_ip"
AXES_VERBOSE = False

# Signed documents: when nginx serves them, the document view only checks access and
# hands the file over with X-Accel-Redirect to this internal location (docs/deploy.md).
DOCUMENTS_ACCEL_REDIRECT = env("DJANGO_DOCUMENTS_ACCEL_REDIRECT", default="")

# The JSON API v1 (api/, docs/api.md): Django REST framework, tokens per device
# (django-rest-knox, stored hashed, expiring), the schema by drf-spectacular.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.PerUser", "api.throttles.PerAddress"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("DJANGO_API_RATE_USER", default="600/min"),
        "address": env("DJANGO_API_RATE_ADDRESS", default="1200/min"),
        "login": env("DJANGO_API_RATE_LOGIN", default="20/min"),
    },
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
KNOX_TOKEN_MODEL = "api.DeviceToken"
# knox's own migration makes a table for its swapped-out model that nothing uses (and
# that a test database's flush would leave behind, holding users): none is made.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(days=env.int("DJANGO_API_TOKEN_DAYS", default=30)),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
    "TOKEN_PREFIX": "npc_",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NPC Tracker API",
    "DESCRIPTION": "The deputies' suggestions, the handling units' tasks, the stations and "
    "the office's figures, for phone and office clients (docs/api.md).",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    # One name per enum of the models (api/enums.py lists them with their labels): fields
    # called state, kind or level carry several.
    "ENUM_NAME_OVERRIDES": {
        "SuggestionStateEnum": "suggestions.models.Suggestion.State",
        "AssignmentRoleEnum": "suggestions.models.Assignment.Role",
        "AssignmentCloseReasonEnum": "suggestions.models.Assignment.CloseReason",
        "CommunicationStageEnum": "suggestions.models.Communication.Stage",
        "CommunicationMethodEnum": "suggestions.models.Communication.Method",
        "ReplyClassificationEnum": "suggestions.models.Reply.Classification",
        "SignoffLevelEnum": "suggestions.models.SignOff.Level",
        "RatingEnum": "suggestions.models.SignOff.Rating",
        "RedoGroundsEnum": "suggestions.models.revisit.Redo.Grounds",
        "InspectionKindEnum": "suggestions.models.key.Inspection.Kind",
        "RevisitOutcomeEnum": "suggestions.models.revisit.RevisitOutcome.Outcome",
        "DutyKindEnum": "deputies.models.duty.Kind",
        "StationKindEnum": "stations.models.LiaisonStation.Kind",
        "StationLevelEnum": "stations.models.LiaisonStation.Level",
        "ActivityKindEnum": "stations.models.Activity.Kind",
        "OpinionStateEnum": "stations.models.Opinion.State",
        "ChecklistItemEnum": "stations.models.StationCheck.Item",
        # The office's decision on a unit's reassignment or extension request.
        "RequestDecisionEnum": [("1", _("Approve the request")), ("0", _("Reject the request"))],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.problem_responses",
    ],
    "AUTHENTICATION_WHITELIST": [
        "api.authentication.DeviceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DISABLE_ERRORS_AND_WARNINGS": False,
}
