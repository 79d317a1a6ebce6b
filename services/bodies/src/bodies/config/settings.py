"""Django settings for the bodies service.

Every environment variable the service reads is read here, each with a local default,
so that ``bodies-manage migrate`` and granian run with no configuration at all.
"""

import os
from pathlib import Path

import httpx

from bodies.config.database import database_config
from bodies.config.env import count_from_env, seconds_from_env
from bodies.config.secret_key import secret_key_load

STATE_DIR = Path(os.environ.get("CUPCAKE_STATE_DIR") or Path.cwd() / ".lab")

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secret_key_load(state_dir=STATE_DIR)
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

DATABASES = {
    "default": database_config(
        url=os.environ.get("DATABASE_URL") or f"sqlite:///{STATE_DIR / 'bodies.sqlite3'}"
    )
}

# Bearer token for catalogue writes; writes are refused (403) while it is unset.
CUPCAKE_ADMIN_TOKEN = os.environ.get("CUPCAKE_ADMIN_TOKEN") or None
# Public base URL of this service, the prefix of every image_url and Location.
PUBLIC_URL = (os.environ.get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")

# The peers the assembler calls, and how long one call to them may take, in seconds.
FROSTINGS_URL = (os.environ.get("FROSTINGS_URL") or "http://127.0.0.1:5000").rstrip("/")
TOPPINGS_URL = (os.environ.get("TOPPINGS_URL") or "http://127.0.0.1:6500").rstrip("/")
UPSTREAM_TIMEOUT = seconds_from_env("UPSTREAM_TIMEOUT", default=1.0)
# How persistent to be with a peer: tries per read (failed reads of a GET are retried), and
# the circuit breaker: that many failures in a row open it; that many seconds later one
# trial call may close it again.
UPSTREAM_ATTEMPTS = count_from_env("UPSTREAM_ATTEMPTS", default=2)
BREAKER_FAILURES = count_from_env("BREAKER_FAILURES", default=3)
BREAKER_RESET = seconds_from_env("BREAKER_RESET", default=2.0)
# The httpx transport under the peer clients: None is the network; tests put a MockTransport here.
UPSTREAM_TRANSPORT: httpx.BaseTransport | None = None

# Seconds a request may take in all, peer calls included: bodies is the lab's front door,
# and what is left of this is passed on to the peers (Request-Deadline-Ms).
REQUEST_DEADLINE = seconds_from_env("REQUEST_DEADLINE", default=1.0)
# Chaos (fault injection, /_chaos and the page's chaos drawer): the local lab only.
CUPCAKE_CHAOS = os.environ.get("CUPCAKE_CHAOS") == "1"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "bodies.catalogue",
    "bodies.assembler",
]

MIDDLEWARE = [
    "bodies.core.request_log.RequestLogMiddleware",
    "bodies.core.problem_middleware.ProblemMiddleware",
    "bodies.core.content_length.ContentLengthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "bodies.config.urls"
WSGI_APPLICATION = "bodies.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The admin's and the API docs' static files, served by WhiteNoise straight from the
# installed apps, so granian needs no collectstatic step.
STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True

# Request bodies above 64 KiB are refused with 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # 4xx are already in the request log line; keep django.request for server errors.
        "django.request": {"level": "ERROR"},
        # httpx logs every outbound request at INFO; the assembler logs the failed ones itself.
        "httpx": {"level": "WARNING"},
    },
}
