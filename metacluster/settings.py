"""One settings module, driven by environment variables.

Every variable is read through a typed helper that fails loudly on a bad value, so a typo in
deployment shows up at start-up rather than as odd behaviour later.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("SECRET_KEY must be set")
    # A fixed development key keeps sessions valid across restarts of the demo;
    # production deployments set SECRET_KEY (and REQUIRE_SECRET_KEY=true).
    SECRET_KEY = "metacluster-insecure-development-key-change-me"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
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
    "ninja",  # serves the API docs page from its own static files, not a CDN
    "metacluster.accounts",
    "metacluster.programmes",
    "metacluster.companies",
    "metacluster.services",
    "metacluster.deals",
    "metacluster.consortia",
    "metacluster.scouting",
    "metacluster.readiness",
    "metacluster.markets",
    "metacluster.matchmaking",
    "metacluster.events",
    "metacluster.reporting",
    "metacluster.stateaid",
    "metacluster.testbeds",
    "metacluster.guides",
    "metacluster.enrolment",
    "metacluster.activities",
    "metacluster.outreach",
    "axes",  # login throttling and lockout (see "Trust" below)
    "auditlog",  # the audit trail (metacluster/audit.py)
    "metacluster.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "metacluster.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # names the user behind each audited change
    "csp.middleware.CSPMiddleware",  # the Content-Security-Policy header (see "Trust" below)
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with 429
]

ROOT_URLCONF = "metacluster.urls"
WSGI_APPLICATION = "metacluster.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{Path.cwd() / 'metacluster.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL: readers are not blocked while an import writes (they see the last commit);
        # synchronous=NORMAL is safe with WAL (a power cut may lose the last commits, never
        # corrupt the file) and spares an fsync per commit; 64 MB of page cache instead of
        # 2 MB (a list of a million companies reads its indexes from memory); temporary
        # tables and sorts in memory.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Trade stores written by `metacluster load-trade` (and small uploads on the export potential
# page): one directory per dataset, a few hundred MB for a full BACI year.
# The largest register file the scouting import page takes (bigger ones: the command).
SCOUTING_UPLOAD_MAX_MB = env_int("SCOUTING_UPLOAD_MAX_MB", 100, minimum=1)
TRADE_DATA_DIR = Path(os.environ.get("TRADE_DATA_DIR") or Path.cwd() / "trade-data")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "metacluster@localhost")
# Where the platform is reached, for links in e-mails sent outside a web request (notices sent
# after a commit, commands): scheme and host, no trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("et", _("Estonian")),
    ("lv", _("Latvian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True  # stored in UTC; shown in each user's own time zone (see UserPreferencesMiddleware)
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served from the package by WhiteNoise; set STATIC_ROOT to collect them.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package without collectstatic

# A market-guide barrier not confirmed for this many days is flagged as stale.
GUIDE_STALE_AFTER_DAYS = env_int("GUIDE_STALE_AFTER_DAYS", 365, minimum=1)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}


# --- Trust: login throttling, API tokens ------------------------------------------------------
# Kept together so that other settings changes do not collide with these.

# django-axes counts failed logins per user name *and* address (so that nobody can lock a
# colleague out from elsewhere); the LOGIN_FAILURE_LIMIT-th failure within the cool-off locks
# that pair out for LOGIN_LOCKOUT_MINUTES, on /accounts/login/ and /admin/login/ alike.
AUTHENTICATION_BACKENDS = [
    "metacluster.accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 6, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "metacluster.accounts.views.locked_out"
AXES_VERBOSE = False
# API tokens: the validity a new token gets unless its owner chooses another.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1)
# The audit trail keeps who changed what, not where from: no IP addresses in the log.
AUDITLOG_DISABLE_REMOTE_ADDR = True

# Content-Security-Policy (django-csp): scripts only from our own static files, never inline
# (templates use data-* attributes that static/js/app.js acts on); styles may be inline, since
# templates set a few style="..." attributes and htmx adds its indicator style; nothing may
# frame the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# HSTS: behind HTTPS (SECURE_COOKIES=true) browsers are told to use only HTTPS for a year.
# Subdomains and preloading are left to the operator (SECURE_HSTS_INCLUDE_SUBDOMAINS=true).
SECURE_HSTS_SECONDS = 31_536_000 if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE and env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", False
)

# GDPR retention (metacluster/privacy/retention.py, `metacluster purge-personal-data`): days
# after which each kind of personal data is erased; legal holds keep business records only.
PERSONAL_DATA_RETENTION_DAYS = {
    # a contact kept on consent, after the consent was withdrawn
    "contact_consent_withdrawn": env_int("RETAIN_WITHDRAWN_CONSENT_DAYS", 30, minimum=0),
    # a contact of a company nothing happened with (no stage change, delivery or deal)
    "contact_inactive": env_int("RETAIN_INACTIVE_CONTACT_DAYS", 3 * 365, minimum=1),
    # an SME user who has not logged in
    "sme_user_inactive": env_int("RETAIN_INACTIVE_SME_USER_DAYS", 2 * 365, minimum=1),
    # an audit-trail entry
    "audit_entry": env_int("RETAIN_AUDIT_DAYS", 10 * 365, minimum=1),
}
# Funder evidence (legal hold): years after a programme's end its records are kept.
FUNDER_EVIDENCE_YEARS = env_int("FUNDER_EVIDENCE_YEARS", 5, minimum=0)
