"""Cluetrain deployment settings. Every option is an environment variable; see docs/settings.md."""

import re
import secrets
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from cluetrain.core.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CLUETRAIN_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> tuple[str, bool]:
    """The key, and whether it was generated into the data folder (no SECRET_KEY given)."""
    key = env_secret("SECRET_KEY")
    if key:
        return key, False
    # Embedded default: a random key kept in the data folder, so sessions survive restarts.
    # One per machine: `check --deploy` warns (ops/checks.py), as several servers need one key.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip(), True
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key, True


SECRET_KEY, SECRET_KEY_GENERATED = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "Cluetrain")
# Links in e-mails, webhook payloads and the console. Unset, it follows the port the site is
# served on: PORT, which `cluetrain serve` also takes as its default port.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1)}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "cluetrain.core",
    "cluetrain.sources",
    "cluetrain.organizations",
    "cluetrain.topics",
    "cluetrain.members",
    "cluetrain.spaces",
    "cluetrain.threads",
    "cluetrain.reviews",
    "cluetrain.ideas",
    "cluetrain.notifications",
    "cluetrain.moderation",
    "cluetrain.relationships",
    "cluetrain.expertise",
    "cluetrain.reputation",
    "cluetrain.partners",
    "cluetrain.intents",
    "cluetrain.orders",
    "cluetrain.jams",
    "cluetrain.blogs",
    "cluetrain.search",
    "cluetrain.demo",
    "cluetrain.api",
    "cluetrain.imports",
    "cluetrain.exports",
    "cluetrain.webhooks",
    "cluetrain.listening",
    "cluetrain.influence",
    "cluetrain.ops",
]
# The lab (evaluations, benchmarks, training: lab/) is a distribution of its own: development
# and CI install it, production does not. Its benchmark pages are served only on request.
LAB_INSTALLED = find_spec("cluetrain_lab") is not None
if LAB_INSTALLED:
    INSTALLED_APPS.append("cluetrain_lab")
BENCH_VIEWS = LAB_INSTALLED and env_bool("BENCH_VIEWS", False)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Control characters and oversized bodies are refused here, before any view (a 400 / 413).
    "cluetrain.core.middleware.RefuseBadInputMiddleware",
    # A database outage met by a view is a 503 with Retry-After, not a 500 (core/outage.py).
    "cluetrain.core.outage.DatabaseOutageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the chooser (a cookie), else the browser's Accept-Language (docs/i18n.md).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cluetrain.urls"
WSGI_APPLICATION = "cluetrain.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cluetrain" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cluetrain.core.context_processors.site",
                "cluetrain.notifications.context_processors.unread",
                "cluetrain.ops.context_processors.queue_warning",
            ],
        },
    },
]

# Database: a SQLite file in the data folder unless DATABASE_URL says otherwise.
_default_db_url = f"sqlite:///{DATA_DIR / 'cluetrain.sqlite3'}"
_db_url = env_str("DATABASE_URL", "") or _default_db_url  # empty means unset
if not _db_url.startswith(("sqlite://", "postgres://", "postgresql://")):
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {_db_url.split(':')[0]!r}"
    )
DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 behaviour now: bare domains become https://
AUTH_USER_MODEL = "members.Member"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Page fragments, keyed by their content (cluetrain/core/fragments.py): per process by design.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cluetrain-fragments",
        "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", 20_000, minimum=1)},
    },
}

# Background work. "immediate" runs tasks in-process after commit (the embedded default);
# "database" stores them for `cluetrain worker` to run.
TASK_BACKEND = env_choice("TASK_BACKEND", "immediate", ("immediate", "database"))
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASK_BACKEND == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# A task RUNNING on a worker silent for this long was abandoned and goes back to the queue.
WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 60, minimum=2)

# Listening: which text tier reads every message ("accurate" needs the `accurate` extra), and
# whether new messages are enriched as they arrive (tests of other apps turn it off).
LISTENING_TIER = env_choice("LISTENING_TIER", "fast", ("fast", "accurate"))
LISTENING_ENRICH = env_bool("LISTENING_ENRICH", True)
# The company's own accounts on outside networks (handles, comma-separated): imported messages
# addressed to any other brand account are about that company, not ours.
LISTENING_OWN_ACCOUNTS = env_list("LISTENING_OWN_ACCOUNTS", [])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests and the demo: real hashing code, cheap rounds.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cluetrain@localhost")

LANGUAGE_CODE = "en"
# The languages the chooser offers; each has a catalogue in locale/ (docs/i18n.md).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "cluetrain" / "locale"]
# SHORT_DATE_FORMAT / SHORT_DATETIME_FORMAT per language ("5 déc 2026" in French).
FORMAT_MODULE_PATH = ["cluetrain.core.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # `serve` collects into it; WhiteNoise expects it
# Uploaded files (avatars): MEDIA_ROOT, served by the members app's avatar view (never by
# listing the folder), at MEDIA_URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "media/"
AVATAR_MAX_BYTES = env_int("AVATAR_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Django's database sessions, read without building a queryset each time (core/sessions.py).
SESSION_ENGINE = "cluetrain.core.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS. A site without DEBUG whose SITE_URL is https:// is a production deployment and gets
# the production defaults; a plain-http SITE_URL (the embedded default, the demo) keeps them
# off, since a redirect to https:// there would lock everyone out (docs/settings.md).
PRODUCTION_HTTPS = SITE_URL.startswith("https://") and not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION_HTTPS)
_YEAR = 365 * 24 * 3600
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", _YEAR if PRODUCTION_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """'X-Forwarded-Proto: https' -> ("HTTP_X_FORWARDED_PROTO", "https"); empty: no proxy."""
    if not raw.strip():
        return None
    name, colon, value = raw.partition(":")
    if not colon or not name.strip() or not value.strip():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must look like 'X-Forwarded-Proto: https', not {raw!r}"
        )
    return "HTTP_" + name.strip().upper().replace("-", "_"), value.strip()


# Only behind a proxy that sets this header itself (and strips it from clients): trusted blindly.
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", ""))


def _client_address_header(raw: str) -> str:
    """'X-Real-IP' -> "HTTP_X_REAL_IP" (its key in request.META); empty: no proxy."""
    name = raw.strip()
    if name and not re.fullmatch(r"[A-Za-z0-9-]+", name):
        raise ImproperlyConfigured(
            f"CLIENT_ADDRESS_HEADER must be a header name like 'X-Real-IP', not {raw!r}"
        )
    return "HTTP_" + name.upper().replace("-", "_") if name else ""


# Behind a reverse proxy every request comes from the proxy's address, so limits by address
# (sign-in failures, sign-ups) would count every client as one: the header in which the proxy
# passes the client's address (core/requests.py). Only a header the proxy always overwrites.
CLIENT_ADDRESS_HEADER = _client_address_header(env_str("CLIENT_ADDRESS_HEADER", ""))
# HSTS preloading binds the whole domain for months and only its owner may promise it, so
# `check --deploy` does not ask for it unless SECURE_HSTS_PRELOAD is on.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# and never eval; styles may be inline (style attributes, htmx's indicator style); images in
# posts' Markdown may come from any https address, as they always could.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# E-mail notifications (docs/notifications.md): how often a member who has not chosen is
# e-mailed: immediately, daily, weekly or off.
NOTIFICATION_EMAIL_DEFAULT = env_str("NOTIFICATION_EMAIL_DEFAULT", "daily")
if NOTIFICATION_EMAIL_DEFAULT not in {"immediately", "daily", "weekly", "off"}:
    raise ImproperlyConfigured(
        "NOTIFICATION_EMAIL_DEFAULT must be immediately, daily, weekly or off, "
        f"not {NOTIFICATION_EMAIL_DEFAULT!r}"
    )

# Community policy defaults (later: admin-editable settings in the database).
POST_RATE_LIMIT_PER_MINUTE = env_int("POST_RATE_LIMIT_PER_MINUTE", 8, minimum=1)
POST_MAX_CHARS = env_int("POST_MAX_CHARS", 20_000, minimum=100)
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120, minimum=1)
# Personal requests (docs/requests.md): at most this many new requests reach one vendor a day;
# a vendor with a location serves requests within this distance of it.
INTENTS_DAILY_CAP = env_int("INTENTS_DAILY_CAP", 20, minimum=1)
INTENTS_SERVICE_RADIUS_KM = env_int("INTENTS_SERVICE_RADIUS_KM", 150, minimum=1)
# Order routing: how long retailers may claim an order (docs/orders.md).
ORDERS_CLAIM_WINDOW_HOURS = env_int("ORDERS_CLAIM_WINDOW_HOURS", 20, minimum=1)
# Limits on what one member (or one address) may do, counted atomically (core/ratelimit.py).
FLAG_RATE_LIMIT_PER_HOUR = env_int("FLAG_RATE_LIMIT_PER_HOUR", 20, minimum=1)
SIGNUP_RATE_LIMIT_PER_HOUR = env_int("SIGNUP_RATE_LIMIT_PER_HOUR", 10, minimum=1)
TOKEN_RATE_LIMIT_PER_HOUR = env_int("TOKEN_RATE_LIMIT_PER_HOUR", 10, minimum=1)
# Failed sign-ins: an account, or an address, is locked for the rest of the window.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Webhooks go to public addresses only (webhooks/targets.py) except to these hosts.
WEBHOOK_ALLOWED_INTERNAL_HOSTS = env_list("WEBHOOK_ALLOWED_INTERNAL_HOSTS", [])

# `cluetrain serve`'s access log: "-" (stdout), a file, or "off" (gunicorn_conf.py, which
# leaves query strings and secret parts of paths out).
ACCESS_LOG = env_str("ACCESS_LOG", "-")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_4xx_traceback": {"()": "cluetrain.core.logs.NoTracebackForClientErrors"},
        "secret_paths_redacted": {"()": "cluetrain.core.logs.SecretPathsRedacted"},
    },
    # A request refused with a 4xx is one line, without the traceback Django adds: a 403
    # (PermissionDenied) on django.request, and on the handler every django.security.* record
    # too (a request for a host not in ALLOWED_HOSTS: scanners send them all day).
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_4xx_traceback"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"django.request": {"filters": ["no_4xx_traceback", "secret_paths_redacted"]}},
}
