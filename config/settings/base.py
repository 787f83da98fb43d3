"""Production-safe settings. Everything secret or site-specific comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment.")
DEBUG = env_bool("DJANGO_DEBUG", False)
# Demo mode: one-time codes are also shown on the page. Never on in production.
SHIKHON_DEMO_MODE = env_bool("SHIKHON_DEMO_MODE", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "")
if "*" in ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's hosts, not '*'.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "ninja",  # serves the API docs (Swagger UI) from our own static files, as CSP requires
    "shikhon.core",
    "shikhon.people",
    "shikhon.places",
    "shikhon.notify",
    "shikhon.media",
    "shikhon.courses",
    "shikhon.certificates",
    "shikhon.training",
    "shikhon.library",
    "shikhon.practice",
    "shikhon.recognition",
    "shikhon.offline",
    "shikhon.insights",
    "shikhon.api",
    "shikhon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shikhon.core.middleware.DatabaseUnavailableMiddleware",  # 503 + Retry-After while the database is away
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shikhon.core.middleware.BanglaFirstLocaleMiddleware",
    "shikhon.api.middleware.ApiRequestLineLimitMiddleware",  # JSON 414 below gunicorn's --limit-request-line
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "shikhon.people.usercache.CachedAuthenticationMiddleware",  # request.user (and her scope) from the cache
    "shikhon.core.middleware.PublicFirstLoginRequiredMiddleware",  # Django's, the view's flag asked first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shikhon.core.middleware.CachedCSPMiddleware",  # django-csp's, the unchanging header built once
    "shikhon.core.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "shikhon.core.context_processors.site",
                "shikhon.notify.context_processors.unread",
            ],
            "builtins": ["shikhon.core.templatetags.bangla"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'shikhon.sqlite3'}") or "",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60") or 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "shikhon.core.redis_cache.RedisCache",  # Django's, reusing its redis-py client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shikhon",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without Redis (the demo, small installs) the cache lives in the database, so every worker process
    # sees the same entries and the same rate-limit counts (a per-process memory cache let two workers
    # allow twice a limit). Rate limits have a table of their own: filling the general cache must never
    # cull a counter. Both tables are made by `createcachetable`, run after every `migrate`
    # (shikhon.core.ratelimit.create_cache_tables).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shikhon_cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shikhon_ratelimit",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# `manage.py run_worker` writes a heartbeat this often; /healthz calls the worker stale after MAX_AGE.
SHIKHON_WORKER_HEARTBEAT_INTERVAL = float(env("SHIKHON_WORKER_HEARTBEAT_INTERVAL", "10") or 10)
SHIKHON_WORKER_HEARTBEAT_MAX_AGE = int(env("SHIKHON_WORKER_HEARTBEAT_MAX_AGE", "60") or 60)
# The reaper (shikhon.core.reaper, run by every worker every REAP_INTERVAL seconds) puts back the RUNNING
# tasks of a worker whose heartbeat has been silent for REAP_AFTER seconds; after MAX_REAPS reaps of one
# task it fails the task instead. /healthz reports tasks RUNNING for longer than STUCK_AFTER seconds.
SHIKHON_TASK_REAP_AFTER = float(env("SHIKHON_TASK_REAP_AFTER", "") or SHIKHON_WORKER_HEARTBEAT_MAX_AGE)
SHIKHON_TASK_REAP_INTERVAL = float(env("SHIKHON_TASK_REAP_INTERVAL", "30") or 30)
SHIKHON_TASK_MAX_REAPS = int(env("SHIKHON_TASK_MAX_REAPS", "3") or 3)
SHIKHON_TASK_STUCK_AFTER = int(env("SHIKHON_TASK_STUCK_AFTER", "3600") or 3600)
# Every worker checks the periodic jobs (shikhon.core.schedule) this often and enqueues those due; 0 turns
# the schedule off in that worker (each slot is still enqueued once by the others).
SHIKHON_SCHEDULE_INTERVAL = float(env("SHIKHON_SCHEDULE_INTERVAL", "30") or 30)

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "people:sign_in"
LOGIN_REDIRECT_URL = "insights:home"
LOGOUT_REDIRECT_URL = "insights:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "bn"
LANGUAGES = [("bn", _("Bangla")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Dhaka"
USE_I18N = True
# Dates are typed day/month/year in both languages (core/formats); every form widget is shown by core's renderer:
# Bangla digits in number and date boxes, "বেছে নিন" for an empty choice (core/forms.py).
FORMAT_MODULE_PATH = ["shikhon.core.formats"]
FORM_RENDERER = "shikhon.core.forms.BanglaFormRenderer"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")) or "")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
WHITENOISE_MAX_AGE = 365 * 24 * 3600

# Uploads: keep request bodies modest; the school import page has its own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Videos: the upload limit, and where ffmpeg is (empty: the system's, else the one imageio-ffmpeg ships).
SHIKHON_VIDEO_MAX_BYTES = int(env("SHIKHON_VIDEO_MAX_BYTES", str(500 * 1024 * 1024)) or 0)
SHIKHON_FFMPEG = env("SHIKHON_FFMPEG", "") or ""
# A video still processing this many seconds after its upload tells its author so (and that it is retried).
SHIKHON_VIDEO_PROCESSING_OVERDUE = int(env("SHIKHON_VIDEO_PROCESSING_OVERDUE", "1200") or 1200)
# Public pages that anyone may hit (certificate verification): requests per IP per minute.
SHIKHON_VERIFY_PER_MINUTE = int(env("SHIKHON_VERIFY_PER_MINUTE", "30") or 30)
# The site's absolute address printed on certificates and in their QR codes (e.g. https://shikhon.gov.bd);
# empty: the first of ALLOWED_HOSTS (http://127.0.0.1:8000 in development).
SHIKHON_PUBLIC_URL = env("SHIKHON_PUBLIC_URL", "")
# Who issues the certificates, printed on each (course and training) in Bangla and English, with a logo: a
# static file's path (SVG or PNG). Stored on each certificate when it is issued.
SHIKHON_CERTIFICATE_AUTHORITY_BN = env("SHIKHON_CERTIFICATE_AUTHORITY_BN", "") or "প্রাথমিক শিক্ষা অধিদপ্তর"
SHIKHON_CERTIFICATE_AUTHORITY_EN = env("SHIKHON_CERTIFICATE_AUTHORITY_EN", "") or "Directorate of Primary Education"
SHIKHON_CERTIFICATE_LOGO = env("SHIKHON_CERTIFICATE_LOGO", "") or "img/certificate-logo.svg"
SHIKHON_IMPORT_MAX_BYTES = int(env("SHIKHON_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)) or 0)
# Course packages (export/import between servers): the most a package may hold, unpacked.
SHIKHON_COURSE_IMPORT_MAX_BYTES = int(env("SHIKHON_COURSE_IMPORT_MAX_BYTES", str(2 * 1024 ** 3)) or 0)
# The shared upload checks (core.uploads, decision 0007): largest printable sheet, largest picture (question
# pictures, posters) and the most pixels a picture may have before it is decoded (decompression bombs).
SHIKHON_SHEET_MAX_BYTES = int(env("SHIKHON_SHEET_MAX_BYTES", str(10 * 1024 * 1024)) or 0)
SHIKHON_PICTURE_MAX_BYTES = int(env("SHIKHON_PICTURE_MAX_BYTES", str(2 * 1024 * 1024)) or 0)
SHIKHON_UPLOAD_MAX_PIXELS = int(env("SHIKHON_UPLOAD_MAX_PIXELS", str(50_000_000)) or 0)

# SMS: "console" prints, "file" appends to SMS_FILE_PATH, "http" posts to a gateway.
SMS_BACKEND = env("SMS_BACKEND", "console")
SMS_FILE_PATH = env("SMS_FILE_PATH", str(BASE_DIR / "var" / "sms.log"))
SMS_HTTP_URL = env("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN")
SMS_SENDER_ID = env("SMS_SENDER_ID", "Shikhon")

# One-time sign-in codes.
LOGIN_CODE_TTL_SECONDS = 300
LOGIN_CODE_MAX_ATTEMPTS = 5
# Codes per number and requester (address, device cookie) per window, and per number from everyone
# together: a stranger cannot use up a teacher's codes, and a flood from many addresses stays bounded
# (decision 0002). Refusals name the window, from these constants.
LOGIN_CODE_MAX_PER_PHONE = 3
LOGIN_CODE_MAX_PER_PHONE_ALL = 10
LOGIN_CODE_PHONE_WINDOW_SECONDS = 15 * 60
LOGIN_CODE_MAX_PER_IP = int(env("LOGIN_CODE_MAX_PER_IP_PER_HOUR", "30") or 30)
LOGIN_CODE_IP_WINDOW_SECONDS = 60 * 60
# Password sign-in (officers, and the admin site when it is on): per address and per number.
PASSWORD_SIGN_IN_MAX_PER_IP = 20
PASSWORD_SIGN_IN_MAX_PER_PHONE = 10
PASSWORD_SIGN_IN_WINDOW_SECONDS = 15 * 60
# Django's admin (/django-admin/) is off unless this is set; when on, its sign-in has the limits above.
SHIKHON_ADMIN_ENABLED = env("SHIKHON_ADMIN_ENABLED", "0") == "1"

# Security.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the app server (each appends to X-Forwarded-For).
SHIKHON_TRUSTED_PROXY_COUNT = int(env("SHIKHON_TRUSTED_PROXY_COUNT", "1") or 0)
# Longest path + query of an API request (characters); longer answers 414 in the API's JSON shape. Keep it a
# little below gunicorn's --limit-request-line (4094, scripts/demo.sh), which answers HTML beyond it.
SHIKHON_API_MAX_REQUEST_LINE = int(env("SHIKHON_API_MAX_REQUEST_LINE", "4000") or 4000)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes speak plain HTTP to the app server
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)) or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 24 * 3600  # teachers stay signed in on their own phone
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Videos on object storage play from its signed addresses: name that origin (https://bucket.s3.example.com).
if env("SHIKHON_MEDIA_ORIGIN"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["media-src"].append(env("SHIKHON_MEDIA_ORIGIN") or "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint and fontTools report every step of every PDF at INFO: too noisy for the worker's log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
