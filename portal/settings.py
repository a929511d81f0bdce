"""Settings for the Hubei Cluster Sharing Portal, read from the environment.

Development defaults are safe; production (DEBUG off) refuses to start without a SECRET_KEY
and ALLOWED_HOSTS. See README.md, "Configuration", for every variable.
"""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from portal.env import (
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    parse_database_url,
    parse_redis_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: SQLite file, uploads, collected static in dev

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY: required when DEBUG is off (set a long random value in the environment)"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS: required when DEBUG is off (comma-separated)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Project apps, lowest layer first: an app imports only from apps above it in this list.
    "clusters",
    "enterprises",
    "sharing",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' public lists from the page cache, before sessions and CSRF.
    "portal.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "portal.middleware.RejectUnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.two_factor.RequireTwoFactorMiddleware",
    "portal.accounts.middleware.LanguagePreferenceMiddleware",
    "portal.accounts.throttle.FormThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "portal.urls"
# Widget templates in templates/django/forms/ (Bootstrap classes) override Django's own.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.principal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Persistent connections with health checks: about 6x the throughput of a new connection per
# request, and a dropped connection is replaced instead of failing the request.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 60, minimum=0)
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": parse_database_url("DATABASE_URL", DATABASE_URL, conn_max_age=CONN_MAX_AGE)}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DATABASE_CONNECT_TIMEOUT", 5, minimum=1
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and cache ---------------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or None
if REDIS_URL:
    parse_redis_url("REDIS_URL", REDIS_URL)
    CACHES = {
        "default": {
            # Fails open: a Redis outage suspends throttling instead of failing pages.
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "portal"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds the anonymous listing list (HTML and API) is served from the cache; a change to a
# published listing shows at once (sharing/page_cache.py). 0 turns the cache off.
LISTING_PAGE_CACHE_SECONDS = env_int("LISTING_PAGE_CACHE_SECONDS", 30, minimum=0)
# The moderation queue's 90-day waits (median, 90th percentile), kept per viewer (0: off).
SUPERVISOR_FIGURES_SECONDS = env_int("SUPERVISOR_FIGURES_SECONDS", 60, minimum=0)

# Celery. Without REDIS_URL tasks run in-process (embedded default), eagerly and on commit.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", REDIS_URL is None)
if not CELERY_TASK_ALWAYS_EAGER and REDIS_URL is None:
    raise ImproperlyConfigured(
        "CELERY_TASK_ALWAYS_EAGER: false needs REDIS_URL (a broker); without one, tasks would "
        "queue in memory where no worker can take them"
    )
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
# Longer than any task's hard limit, so an unacknowledged message is redelivered only when its
# worker is really gone, never while it still runs.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that publishes must not hang when Redis is down: try briefly, then let the
# sweeper enqueue what could not be sent.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_DEFAULT_QUEUE = "portal"
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "sweep-matching": {"task": "sharing.tasks.sweep_matching_task", "schedule": 60.0},
    "expire-listings": {"task": "sharing.tasks.expire_listings_task", "schedule": 3600.0},
    "warn-expiring": {"task": "sharing.tasks.warn_expiring_task", "schedule": 6 * 3600.0},
    "refresh-rollups": {"task": "portal.tasks.refresh_rollups_task", "schedule": 15 * 60.0},
    "daily-digest": {
        "task": "sharing.tasks.daily_digest_task",
        "schedule": crontab(hour=8, minute=0),
    },
    "personal-data-retention": {
        "task": "portal.tasks.personal_data_purge_task",
        "schedule": crontab(hour=3, minute=30),
    },
    "verify-audit-log": {
        "task": "portal.tasks.audit_verify_task",
        "schedule": crontab(hour=4, minute=0),
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Park administrators, platform supervisors and government officers log in with a second
# factor (TOTP). Only tests of unrelated features turn this off.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "Hubei Cluster Portal"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Log-in throttling (portal/accounts/throttle.py), counted in the cache: failures per account
# within the window lock that account; a higher limit applies per client address.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60, minimum=1)  # seconds
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1)
# Request rates per user and per client address (portal/accounts/throttle.py), counted in the
# cache: "N/s", "N/min", "N/hour", "N/day", or "off". Over a rate: 429 with Retry-After. The
# address limits are higher, since many people may share one address (an office's NAT).
THROTTLE_RATES = {
    "api_user": env_rate("THROTTLE_API_USER", "1200/min"),
    "api_address": env_rate("THROTTLE_API_ADDRESS", "6000/min"),
    "signup_user": None,  # signing up is for visitors who have no account yet
    "signup_address": env_rate("THROTTLE_SIGNUP_ADDRESS", "20/hour"),
    "inquiry_user": env_rate("THROTTLE_INQUIRY_USER", "60/hour"),
    "inquiry_address": env_rate("THROTTLE_INQUIRY_ADDRESS", "300/hour"),
    "complaint_user": env_rate("THROTTLE_COMPLAINT_USER", "30/hour"),
    "complaint_address": env_rate("THROTTLE_COMPLAINT_ADDRESS", "150/hour"),
}

# How long personal data is kept, in days (docs/personal-data.md); the daily job
# portal.tasks.personal_data_purge_task deletes or anonymises what is older.
PERSONAL_DATA_RETENTION_DAYS = {
    # A deactivated account's name, e-mail and phone, counted from its last log-in.
    "deactivated_account": env_int("RETENTION_DEACTIVATED_ACCOUNT_DAYS", 180, minimum=1),
    # An invitation (the invitee's e-mail), counted from its acceptance, revocation or expiry.
    "closed_invitation": env_int("RETENTION_CLOSED_INVITATION_DAYS", 30, minimum=1),
    # A decided join request (the applicant's message).
    "decided_join_request": env_int("RETENTION_DECIDED_JOIN_REQUEST_DAYS", 180, minimum=1),
    "read_notification": env_int("RETENTION_READ_NOTIFICATION_DAYS", 90, minimum=1),
    "notification": env_int("RETENTION_NOTIFICATION_DAYS", 365, minimum=1),
}
# Who gets the e-mail when a scheduled job finds the supervision log's chain broken (besides
# the platform supervisors): "Name <address>, ...".
ADMINS = [
    (address.split("<")[0].strip() or address, address.split("<")[-1].rstrip(">").strip())
    for address in env_list("ADMINS", [])
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from the npm registry (package-lock.json) and are served by the
# portal itself: no CDN, so the portal works on an intranet without internet.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 5_000_000, minimum=1)
# Refuse bigger request bodies before they reach a view (attachments plus form fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The portal's own address, for links in e-mails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "湖北产业集群共享平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "portal.accounts.two_factor.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.StandardPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.ApiRateThrottle",
        "portal.api.throttling.ActionRateThrottle",
    ],
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "湖北产业集群企业信息共享平台 API",
    "DESCRIPTION": "Hubei Cluster Sharing Portal — REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.document_error_responses",
    ],
    # Choice sets that share a field name ("level", "reason"): name each enum after its choices.
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "clusters.choices.RegionLevel",
        "IndustryLevelEnum": "clusters.choices.IndustryLevel",
        "ParkLevelEnum": "clusters.choices.ParkLevel",
        "ModerationReasonEnum": "sharing.choices.ModerationReason",
        "ComplaintReasonEnum": "sharing.choices.ComplaintReason",
        "ListingKindEnum": "sharing.choices.ListingKind",
        "ListingStatusEnum": "sharing.choices.ListingStatus",
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# No inline script anywhere. Inline style attributes stay allowed: the Django admin uses them,
# and style cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
