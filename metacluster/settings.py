"""One settings module, driven by environment variables.

Every variable is read through a typed helper that fails loudly on a bad value, so a typo in
deployment shows up at start-up rather than as odd behaviour later.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
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


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}")
    return number


DEBUG = env_bool("DEBUG", False)

# --- Secret key (production: issue 20) ---------------------------------------------------------
# Required whenever DEBUG is off: from SECRET_KEY, or from the file SECRET_KEY_FILE names (a
# Docker/compose secret). There is no built-in fallback: the `metacluster` command creates a
# random key in ./.metacluster-secret-key for the local SQLite demo (metacluster/cli.py), and
# tests use metacluster/test_settings.py. With DEBUG on, a development key is used if none set.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and os.environ.get("SECRET_KEY_FILE"):
    try:
        SECRET_KEY = Path(os.environ["SECRET_KEY_FILE"]).read_text().strip()
    except OSError as error:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE cannot be read: {error}") from None
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (or SECRET_KEY_FILE) when DEBUG is off; see docs/DEPLOYMENT.md"
        )
    SECRET_KEY = "metacluster-insecure-development-key-debug-only"
# --- end of secret key -------------------------------------------------------------------------
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
    "metacluster.servicerequests",
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
    "metacluster.jobs",  # background jobs and the Celery tasks (issue 20)
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
            # Locale-aware |number, |money, |percent, |compact, |day, |moment in every template.
            "builtins": ["metacluster.formatting"],
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
# --- SQLite (issue 20: concurrent writers) -----------------------------------------------------
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
        # Concurrent writers wait their turn instead of failing with "database is locked":
        # each transaction takes the write lock when it begins (BEGIN IMMEDIATE), where SQLite
        # can wait for it, rather than on its first write inside a read transaction, where it
        # cannot (that deadlock is reported at once, whatever the timeout); and a writer waits
        # up to SQLITE_TIMEOUT seconds for the lock.
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20, minimum=1),
    }
# --- end of SQLite -----------------------------------------------------------------------------
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

# --- HTTPS, behind a proxy (issue 20: `check --deploy` clean with SECURE_COOKIES=true) ----------
if SESSION_COOKIE_SECURE:
    # HSTS: browsers use HTTPS only for a year, subdomains included (HSTS_SECONDS=0 turns it
    # off while trying HTTPS out); plain HTTP is redirected unless the proxy does it.
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    # /healthz and /readyz are probed over plain HTTP from inside the deployment.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if env_bool("BEHIND_PROXY", False):
    # The proxy in front (nginx, a load balancer) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# --- end of HTTPS ------------------------------------------------------------------------------

# --- Logging (issue 20: LOG_FORMAT=json for structured logs) -----------------------------------
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "metacluster.jobs.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # gunicorn's own loggers through the same handler and format
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
}
# --- end of logging ----------------------------------------------------------------------------

# --- Task queue: Celery on Redis (issue 20; docs/DEPLOYMENT.md) --------------------------------
# With REDIS_URL, tasks go to Redis and `metacluster worker` runs them; `metacluster beat` sends
# the periodic ones. Without it, there is no worker: tasks run in the process that sends them
# (eagerly; long ones in a thread), so `metacluster serve` needs no other server.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True  # a task is removed from the queue when it ends, not when it starts
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...and put back when its worker process dies
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: a worker takes one at a time
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # LOGGING above decides
# `metacluster worker` lowers its CPU priority by this much (nice), so that on a machine it
# shares with web processes a big import or scheduling run takes the CPU the pages leave.
WORKER_NICENESS = env_int("WORKER_NICENESS", 19, maximum=19)  # Linux's lowest priority
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message whose worker vanished without a word (the whole machine) comes back after this;
# the job heartbeat below finds such jobs much sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME") or str(
    Path.cwd() / "celerybeat-schedule"
)
CELERY_BEAT_SCHEDULE = {
    "expire-meeting-requests": {"task": "events.expire_requests", "schedule": 3600.0},
    "match-alert-digests": {
        "task": "matchmaking.send_match_alerts",
        "schedule": crontab(hour=6, minute=0),
    },
    "stale-guide-flags": {"task": "guides.stale_flags", "schedule": crontab(hour=5, minute=0)},
    "clean-uploaded-files": {
        "task": "scouting.clean_uploads",
        "schedule": crontab(hour=3, minute=30),
    },
    "reap-lost-jobs": {"task": "jobs.reap", "schedule": 30.0},
    # Hourly, so a reminder arrives about a day ahead; the reminder log stops repeats.
    "send-reminders": {"task": "outreach.send_reminders", "schedule": crontab(minute=15)},
    # GDPR retention: personal data past its period (privacy.retention), once a night.
    "purge-personal-data": {
        "task": "privacy.purge_personal_data",
        "schedule": crontab(hour=2, minute=45),
    },
}
# A running job writes a heartbeat this often; one silent for JOB_STALE_SECONDS lost its worker
# and is sent again, at most JOB_MAX_ATTEMPTS times in all, then marked failed.
# Without REDIS_URL, long jobs run in a thread of the web process (false: within the request).
JOB_THREADS = env_bool("JOB_THREADS", True)
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 5, minimum=1)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 45, minimum=2)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3, minimum=1)
# Files that jobs write (period report exports), shared by web and worker processes.
JOB_FILES_DIR = Path(os.environ.get("JOB_FILES_DIR") or Path.cwd() / "job-files")
# Uploaded register files are deleted this many days after upload (their jobs stay).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 30, minimum=1)
CACHES = {
    # Shared by every web process when Redis is there: rate limits (applications, logins) hold
    # across processes rather than per process.
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Live heartbeats of jobs inside a SQLite write transaction (metacluster/jobs/running.py).
    "jobs": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jobs"}
    ),
}
# All outgoing e-mail goes through the queue (retried while the mail server is down); this is
# the backend that delivers it.
EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND
EMAIL_BACKEND = "metacluster.jobs.mail.QueuedEmailBackend"
# --- end of task queue -------------------------------------------------------------------------


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
# Behind reverse proxies (TRUSTED_PROXY_COUNT of them, each appending to X-Forwarded-For) the
# client's address is read from that header; with 0 the header is ignored, so a client cannot
# dodge its lockout by sending one. (django-ipware, which axes' AXES_IPWARE_* settings feed, is
# not installed: the one rule lives in accounts.backends.client_address.)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "metacluster.accounts.backends.client_address"
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
