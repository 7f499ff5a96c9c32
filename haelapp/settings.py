"""The one settings file for haelapp, driven by environment variables.

With nothing set it runs on an embedded default (SQLite, a filesystem Celery broker, console
e-mail, DEBUG on) so a newcomer can start it at once. `DATABASE_URL`, `CELERY_BROKER_URL` and
friends switch it to PostgreSQL and Redis; the README lists every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A `.env` file beside manage.py (or at ENV_FILE) is read if present; real environment
# variables win over it.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)
# Where the embedded default keeps its SQLite file and broker folder, beat its schedule (on any
# database and broker), and collectstatic the collected static files.
VAR_DIR = Path(env.str("HAELAPP_VAR_DIR", default=str(BASE_DIR / "var")))
# Made here because every process (web, worker, beat, manage.py) loads the settings before it
# touches the folder, so none depends on another having run first: var/ is not in git, and
# beat needs it for its schedule on PostgreSQL and Redis too, where nothing else would make it.
try:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
except OSError as error:
    raise ImproperlyConfigured(
        f"HAELAPP_VAR_DIR ({VAR_DIR}) cannot be created: {error}. Point it at a writable folder."
    ) from error

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Outside DEBUG it is required: set SECRET_KEY to a long "
            "random string (for example the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "insecure-development-key-only-for-DEBUG-" + "x" * 20

_LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=_LOCAL_HOSTS if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. Outside DEBUG it is required: a comma-separated list of the "
        "host names this service answers to, for example `ALLOWED_HOSTS=haelapp.example.org`."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public base URL, used in links sent by e-mail and push (invitations, unsubscribe).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # django.contrib.admin, with the password change page of accounts.adminsite.
    "accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Passkeys (WebAuthn): a second factor, and a log-in without password (accounts.passkeys).
    "django_otp_webauthn",
    "accounts",
    "exercises",
    "care",
    "diary",
    "progress",
    "reminders",
    "outcomes",
    "messaging",
    "lessons",
    "privacy",
    "usersessions",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed when the client accepts it (a phone's first load:
    # Today's HTML 19.5 -> 5.2 KB, bench/pwa.py). WhiteNoise sends static files compressed
    # already. Django's gzip adds random padding against BREACH, and the CSRF token in pages
    # is masked per response.
    "django.middleware.gzip.GZipMiddleware",
    # /sw.js, the same for everyone and asked for after every navigation, without a session.
    "web.middleware.ServiceWorkerScriptMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.twofactor.RequireSecondFactorMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of authentication on every login path.
    "axes.middleware.AxesMiddleware",
]

# Overridable only so the benchmarks can mount their bare comparison view beside the app.
ROOT_URLCONF = env.str("ROOT_URLCONF", default="haelapp.urls")
WSGI_APPLICATION = "haelapp.wsgi.application"
ASGI_APPLICATION = "haelapp.asgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'haelapp.sqlite3'}"),
}
# Persistent connections: opening a PostgreSQL connection per request costs more than the
# request itself (see the diary benchmark). Health checks drop connections that went bad.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite: web, worker and beat share one file. Wait for a writer instead of failing at
    # once; take the write lock when a transaction starts, because a read transaction that
    # later wants to write fails at once with "database is locked" (SQLite cannot wait there
    # without risking a deadlock); and use the write-ahead log so readers never block writers.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
else:
    # A request must never hang on an unreachable database: fail fast and answer 503.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# --- Accounts and passwords -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: a locked-out login is refused before the (deliberately slow) Argon2 hash.
    "axes.backends.AxesStandaloneBackend",
    # Django's password backend and django-otp-webauthn's passkey backend (whoever signed in
    # with a passkey, accounts.views_passkeys), each loading a session's user with their
    # profile in one query (accounts.backends).
    "accounts.backends.PasswordBackend",
    "accounts.backends.PasskeyBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Physiotherapists and staff log in with a code from an authenticator app as well (TOTP).
# Off by default only in DEBUG, so the quick start's demo logins work without a phone.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "haelapp"
# Nobody, superusers included, reads another person's authenticator secret or its QR code in
# the admin: whoever has it can pass that person's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Each wrong recovery code doubles the wait before the next try (django-otp's throttling).
OTP_RECOVERY_THROTTLE_FACTOR = 1
# How many one-time recovery codes enrolment issues (each 60 random bits).
OTP_RECOVERY_CODE_COUNT = 10
# Adding, replacing or removing a second factor outside the log-in flow asks for the password
# again; the answer counts for this long.
OTP_REAUTH_SECONDS = env.int("OTP_REAUTH_SECONDS", default=300)
# Passkeys (django-otp-webauthn). A passkey is bound to a domain, the relying party ID, and
# each use is checked against the origin of the page that made it. Unset, both are the host
# and origin the request came to, which ALLOWED_HOSTS already limits to this service's own
# names (accounts.passkeys); set them to share passkeys across subdomains or to pin them.
WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default="")
OTP_WEBAUTHN_RP_ID_CALLABLE = "accounts.passkeys.relying_party_id"
OTP_WEBAUTHN_RP_NAME = "haelapp"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list("WEBAUTHN_ORIGINS", default=[])
OTP_WEBAUTHN_HELPER_CLASS = "accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = True
if not OTP_WEBAUTHN_ALLOWED_ORIGINS:
    # The library's check wants a fixed list; without one the helper uses the request's own
    # origin (see above), so the check's warning does not apply.
    SILENCED_SYSTEM_CHECKS = ["otp_webauthn.E030"]

# Reverse proxies in front of the service. Each appends the address it saw to X-Forwarded-For;
# accounts.throttling.client_address reads that header from the right by this many hops, and
# not at all with 0. Every throttle and the log-in lock-out use that one function.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Brute-force protection (django-axes): lock the pair (e-mail, IP address) rather than the
# account alone, so an attacker elsewhere cannot lock a patient out, and only for a short time.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.throttling.login_identifier"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_address"
# Axes' database handler plus a per-address limit across all e-mails: one address trying a
# password on many accounts is locked out too, at a limit far above the per-e-mail one.
AXES_HANDLER = "accounts.throttling.LoginAttemptHandler"
LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=30)
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_PATIENT_TIMEZONE = "Europe/Copenhagen"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="haelapp <noreply@localhost>")
# For the file-based backend (django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# --- Security -------------------------------------------------------------------------------
# Database sessions that record whose they are, so a password change or an erasure can end a
# user's sessions without decoding every session (usersessions.models).
SESSION_ENGINE = "usersessions.backend"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Only the app's own origin: no inline scripts or styles, nothing from a CDN. The service
# worker, manifest and fetches are same-origin too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON parser, but a body nested too deeply to parse is a 400, not a 500.
    "DEFAULT_PARSER_CLASSES": ["common.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # drf-spectacular's, documenting the error answers every operation shares.
    "DEFAULT_SCHEMA_CLASS": "common.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "common.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        # Shared by the API's and the web form's join, per client address.
        "invitation": env.str("INVITATION_THROTTLE", default="20/hour"),
        # Password-reset e-mails: per client address, and per e-mail address asked for.
        "password_reset": env.str("PASSWORD_RESET_THROTTLE", default="10/hour"),
        "password_reset_email": env.str("PASSWORD_RESET_EMAIL_THROTTLE", default="3/hour"),
        # Erasing an account asks for the password again; don't let that become an oracle.
        "erase": "5/hour",
        # Starting a passkey log-in (it keeps a challenge in a session), per address or user.
        "passkey": env.str("PASSKEY_THROTTLE", default="60/hour"),
        # Writing a message, per account: a thread, not a chat room.
        "message": env.str("MESSAGE_THROTTLE", default="20/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "haelapp API",
    "DESCRIPTION": "Home exercises and a morning-pain diary for heel pain, shared with the "
    "patient's physiotherapist. Contract: docs/api.md in the design notes.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Serve Swagger UI's files ourselves: nothing may load from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ExerciseKindEnum": "exercises.models.Kind",
        "CheckinKindEnum": "diary.models.CheckIn.Kind",
        "EpisodeReviewKindEnum": "care.models.ReviewKind",
    },
}
# A new API token beyond this many live ones revokes the user's oldest (accounts.services).
API_TOKEN_LIMIT_PER_USER = env.int("API_TOKEN_LIMIT_PER_USER", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env.int("API_TOKEN_TTL_DAYS", default=30)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded default: a broker in a folder, no server needed. Fine for one machine.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Which queues an exchange routes to; kombu's default is `control/` in the current
        # folder, wherever a worker happens to be started.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # With late acknowledgement, Redis hands an unacknowledged task to another worker only
    # after this timeout; it must exceed the longest send batch. The outbox, not the broker,
    # guarantees delivery: a tick re-enqueues rows stuck for too long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A web request that enqueues (a physio's nudge) must not hang while Redis is down: fail fast,
# the outbox row stays queued and the sweep sends it when the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Deployments sharing one Redis can keep their tasks apart with their own queue name.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # One tick a minute finds due reminders; the advice scan looks at recent diary changes,
    # and once a night at every patient (review weeks pass without anyone writing).
    "reminders-tick": {"task": "reminders.tick", "schedule": crontab(minute="*")},
    "advice-scan-recent": {"task": "reminders.advice_scan", "schedule": crontab(minute="*/5")},
    "delete-expired-tokens": {
        "task": "accounts.delete_expired_tokens",
        "schedule": crontab(hour="3", minute="40"),
    },
    "delete-expired-sessions": {
        "task": "usersessions.delete_expired",
        "schedule": crontab(hour="3", minute="45"),
    },
    # Outcome questionnaires falling due today (outcomes.tasks), in the morning of Denmark.
    "questionnaire-reminders": {
        "task": "outcomes.questionnaire_reminders",
        "schedule": crontab(hour="6", minute="20"),
    },
    "advice-scan-all": {
        "task": "reminders.advice_scan",
        "schedule": crontab(hour="4", minute="10"),
        "kwargs": {"everyone": True},
    },
}

# --- Reminders and Web Push -------------------------------------------------------------------
# VAPID keys identify this server to browsers' push services; `python manage.py
# generate_vapid_keys` makes a pair (the quick start writes one into .env).
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_CONTACT = env.str("VAPID_CONTACT", default="mailto:admin@localhost")
if VAPID_PRIVATE_KEY and not VAPID_CONTACT.startswith(("mailto:", "https:")):
    raise ImproperlyConfigured("VAPID_CONTACT must be a mailto: or https: URL.")
# Push endpoints the server will post to (a subscription names the URL, so it is checked):
# "host" or ".suffix", https unless written "http://host" (a local stand-in for tests).
PUSH_SERVICE_HOSTS = env.list(
    "PUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        ".push.apple.com",
        ".notify.windows.com",
    ],
)
# How long a push service keeps a message for a phone that is offline.
PUSH_TTL_SECONDS = env.int("PUSH_TTL_SECONDS", default=12 * 3600)
# A row sending for longer than this is taken to have lost its worker and is sent again; it
# must exceed the longest send batch (a batch of 1,000 takes a second or two).
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=300)
# Transient push failures are retried after about this long, doubling each attempt.
PUSH_RETRY_BASE_SECONDS = env.int("PUSH_RETRY_BASE_SECONDS", default=30)
# ... up to this long between attempts, and a notification (push or e-mail) is tried at most
# this many times (reminders.retry).
NOTIFICATION_RETRY_CAP_SECONDS = env.int("NOTIFICATION_RETRY_CAP_SECONDS", default=3600)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines can carry dates of diary entries; keep them at warning level.
        "django.server": {"level": "WARNING"},
        # Axes logs every successful log-in at INFO, with the e-mail address masked or not.
        "axes": {"level": "WARNING"},
    },
}
