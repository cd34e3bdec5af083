"""Django settings for Amane, every value read from an AMANE_* environment variable.

The embedded default is an SQLite file under var/; set AMANE_DATABASE_URL to a postgres:// URL for
production. `.env.example` documents each variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from core.env import BASE_DIR, env_bool, env_choice, env_int, env_list, env_secret, env_str

VAR_DIR = Path(env_str("AMANE_VAR_DIR", str(BASE_DIR / "var")))

# `development` (the default: `make run`, the tests) or `production` (`make serve`): production
# turns the secure defaults below on, and the system checks refuse every demo setting.
AMANE_ENV = env_choice("AMANE_ENV", "development", ("development", "production"))
PRODUCTION = AMANE_ENV == "production"

DEBUG = env_bool("AMANE_DEBUG", False)
SECRET_KEY = env_secret("AMANE_SECRET_KEY", VAR_DIR, "secret_key")
# Key material for field encryption (CNIE, phone) and the keyed hashes that find a person's
# earlier complaints. Kept apart from SECRET_KEY so rotating sessions never loses personal data.
DATA_KEY = env_secret("AMANE_DATA_KEY", VAR_DIR, "data_key")
ALLOWED_HOSTS = env_list("AMANE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("AMANE_CSRF_TRUSTED_ORIGINS", [])
# Address printed in the receipt's QR code; the citizen portal answers there.
PUBLIC_BASE_URL = env_str("AMANE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # its vendored Swagger UI for /api/docs (otherwise the page loads it from a CDN)
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "jobs",
    "audit",
    "org",
    "cases",
    "live",
    "emergency",
    "identity",
    "open311",
    "portal",
    "media",
    "oversight",
    "analytics",
    "demo",
]

MIDDLEWARE = [
    # First: nothing below may believe an X-Forwarded-* header that did not come from our proxy.
    "core.net.ProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the headers too.
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ArabicFirstLocaleMiddleware",
    # After the language (the refusal is translated), before any view or form reads the request.
    "core.middleware.RejectUnsafeInputMiddleware",
    # After the language is set, so that the 429 page is translated.
    "portal.middleware.LoginRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session lifetimes, and the second factor the roles of org.conf require
    # (after the messages: an expired session is told why).
    "org.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "amane.urls"
WSGI_APPLICATION = "amane.wsgi.application"
ASGI_APPLICATION = "amane.asgi.application"
# Threads per web process that run requests (core.asgi); open live streams take none of them.
WEB_THREADS = env_int("AMANE_WEB_THREADS", 8)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "org.context_processors.account",
            ],
        },
    },
]

DATABASE_URL = env_str("AMANE_DATABASE_URL", f"sqlite:///{VAR_DIR / 'amane.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite tuned for a server: WAL so readers never block the writer, a busy timeout instead of
    # "database is locked", and IMMEDIATE transactions so a write transaction takes the lock up
    # front rather than failing half-way when it upgrades.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_amane.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:my_cases"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "org.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for every new hash; PBKDF2 stays to check older hashes, which Django rewrites as Argon2
# at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day first and the 24-hour clock in every language (Django's Arabic and English defaults are American).
FORMAT_MODULE_PATH = ["amane.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("AMANE_TIME_ZONE", "Africa/Casablanca")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; collectstatic is optional
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("AMANE_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# Requests with unstorable text (NUL) or non-finite numbers are refused before any view
# (core.middleware); under these prefixes the refusal takes the surface's own error shape.
AMANE_BAD_INPUT_RENDERERS = {"/open311/": "open311.render.bad_input"}

# Every map draws the offline base map (static/amane/basemap/: boundaries, places, police stations).
# AMANE_MAP_TILES_URL (a Leaflet URL template) adds a production tile server under it; empty, no
# request leaves the server. The tile host is allowed in the Content-Security-Policy (core.security).
MAP_TILE_URL = env_str("AMANE_MAP_TILES_URL", env_str("AMANE_MAP_TILE_URL", ""))

# Attachments: accepted kinds are checked by their bytes, not their name.
ATTACHMENT_MAX_BYTES = env_int("AMANE_ATTACHMENT_MAX_MB", 10) * 1024 * 1024

# Escalation of overdue cases: hours after the deadline at which the unit chief, then the area,
# then the wilaya are alerted.
ESCALATION_DELAYS_HOURS = [int(h) for h in env_list("AMANE_ESCALATION_DELAYS_HOURS", ["0", "24", "72"])]
# Days to execute a prosecutor's instruction when the prosecutor set no deadline.
PROSECUTOR_INSTRUCTION_DAYS = env_int("AMANE_PROSECUTOR_INSTRUCTION_DAYS", 15)
# How long an API client's Idempotency-Key is remembered (a retry within it gets the first answer).
IDEMPOTENCY_KEY_HOURS = env_int("AMANE_IDEMPOTENCY_KEY_HOURS", 24)
# Radius and window of the "similar complaint nearby" suggestion at intake.
DUPLICATE_RADIUS_M = env_int("AMANE_DUPLICATE_RADIUS_M", 500)
DUPLICATE_WINDOW_DAYS = env_int("AMANE_DUPLICATE_WINDOW_DAYS", 7)
# Where a published communiqué is announced (dotted path of a media.publishers.Publisher): the
# default queues posts on a local outbox, nothing leaves the machine.
SOCIAL_PUBLISHER = env_str("AMANE_SOCIAL_PUBLISHER", "media.publishers.OutboxPublisher")
# Media watch: feeds on loopback or private addresses are refused (the server fetches from inside the
# network); allow them only for an internal mirror of the outlets' feeds.
AMANE_MEDIA_FEEDS_PRIVATE = env_bool("AMANE_MEDIA_FEEDS_PRIVATE", False)

TASKS = {
    "default": {
        "BACKEND": env_str("AMANE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Seconds between two runs of the periodic sweeps (deadlines) by `manage.py run_periodic`.
PERIODIC_INTERVAL_SECONDS = env_int("AMANE_PERIODIC_INTERVAL_SECONDS", 300)

# Audit chain (docs/architecture.md, "Audit"). The HMAC key that entry and chain MACs are made with;
# the database never holds it. The Ed25519 signing key of the checkpoints is read by the sealer only
# (AMANE_AUDIT_SIGNING_KEY, else var/audit_signing_key). Checkpoints go to AUDIT_DIR/checkpoints.jsonl
# every AUDIT_CHECKPOINT_RECORDS records or AUDIT_CHECKPOINT_SECONDS seconds; `audit_verify` reports
# records left unsealed longer than AUDIT_SEAL_WINDOW_SECONDS (the sealer is down).
AUDIT_KEY = env_secret("AMANE_AUDIT_KEY", VAR_DIR, "audit_key")
AUDIT_DIR = Path(env_str("AMANE_AUDIT_DIR", str(VAR_DIR / "audit")))
AUDIT_LOG_NAME = env_str("AMANE_AUDIT_LOG_NAME", "amane")
AUDIT_CHECKPOINT_RECORDS = env_int("AMANE_AUDIT_CHECKPOINT_RECORDS", 10_000)
AUDIT_CHECKPOINT_SECONDS = env_int("AMANE_AUDIT_CHECKPOINT_SECONDS", 10)
AUDIT_SEAL_WINDOW_SECONDS = env_int("AMANE_AUDIT_SEAL_WINDOW_SECONDS", 60)
AUDIT_SEALER_INTERVAL_MS = env_int("AMANE_AUDIT_SEALER_INTERVAL_MS", 250)


# Transport and browser security. Production defaults are the safe ones (TLS ends at a reverse
# proxy that sets X-Forwarded-Proto); the production checks refuse a configuration that turns one
# off. core.middleware adds the Content-Security-Policy and Permissions-Policy.
SESSION_COOKIE_HTTPONLY = True
# No session outlives a shift: org.middleware ends staff sessions after AMANE_SESSION_MAX_HOURS
# (and after the idle timeout of the user's roles); the cookie goes no further.
SESSION_COOKIE_AGE = env_int("AMANE_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_SECURE = env_bool("AMANE_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("AMANE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("AMANE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("AMANE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("AMANE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("AMANE_PROXY_SSL_HEADER", PRODUCTION) else None
)
# Reverse proxies whose X-Forwarded-For / -Proto are believed (addresses or CIDR networks).
TRUSTED_PROXIES = env_list("AMANE_TRUSTED_PROXIES", [])
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Authenticator apps show this name next to the account (django-otp's TOTP enrolment URI).
OTP_TOTP_ISSUER = env_str("AMANE_OTP_ISSUER", "Amane")
SECURE_CONTENT_TYPE_NOSNIFF = True

# HSTS preloading is a decision for the organisation (AMANE_HSTS_PRELOAD), not a start-up failure.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("AMANE_LOG_LEVEL", "WARNING")},
}
