"""Django settings for the bodies service.

Every environment variable the service reads is read here, each with a local default,
so that ``bodies-manage migrate`` and granian run with no configuration at all.
"""

from bodies.config.database import database_config
from bodies.config.env import SERVICE_NAME, environment
from bodies.config.origins import origin_of
from bodies.config.rate import rate_parse
from bodies.config.secret_key import secret_key_load
from cupcake_chassis.admission import AdmissionPolicy

env = environment()
STATE_DIR = env.state_dir()

# Off unless asked for: with DEBUG on, Django shows tracebacks and settings to any client.
DEBUG = env.flag("DJANGO_DEBUG")
# Never a constant in the code: the environment's, else one made for this lab (git-ignored).
SECRET_KEY = env.text("DJANGO_SECRET_KEY") or secret_key_load(state_dir=STATE_DIR)
ALLOWED_HOSTS = env.items("DJANGO_ALLOWED_HOSTS", default="127.0.0.1,localhost,[::1]")

# Security headers on every answer (SecurityMiddleware and XFrameOptionsMiddleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Served over HTTPS (DJANGO_HTTPS=1): redirect plain HTTP, send HSTS, keep cookies to HTTPS.
# Never on by default: the local lab is plain HTTP on 127.0.0.1, and HSTS on a plain-HTTP
# host would lock browsers out of it for a year.
HTTPS = env.flag("DJANGO_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]  # probes speak plain HTTP
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips the client's own).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.flag("DJANGO_BEHIND_TLS_PROXY") else None
)
CSRF_TRUSTED_ORIGINS = env.items("DJANGO_CSRF_TRUSTED_ORIGINS")
# Other sites whose scripts may call this API (CORS); none by default, the page needs none.
CORS_ALLOWED_ORIGINS = env.origins("CORS_ALLOWED_ORIGINS")

DATABASES = {"default": database_config(url=env.database_url(SERVICE_NAME))}

# Bearer token for catalogue writes; writes, chaos and the Django admin are off (403) while
# it is unset.
CUPCAKE_ADMIN_TOKEN = env.text("CUPCAKE_ADMIN_TOKEN")
# Public base URL of this service, the prefix of every image_url and Location.
PUBLIC_URL = env.url("PUBLIC_URL", default="http://127.0.0.1:8000")

# The peers the assembler calls, and how long one call to them may take, in seconds.
FROSTINGS_URL = env.url("FROSTINGS_URL", default="http://127.0.0.1:5000")
TOPPINGS_URL = env.url("TOPPINGS_URL", default="http://127.0.0.1:6500")
UPSTREAM_TIMEOUT = env.seconds("UPSTREAM_TIMEOUT", default=1.0)
# How persistent to be with a peer: tries per read (failed reads of a GET are retried), and
# the circuit breaker: that many failures in a row open it; that many seconds later one
# trial call may close it again.
UPSTREAM_ATTEMPTS = env.count("UPSTREAM_ATTEMPTS", default=2)
BREAKER_FAILURES = env.count("BREAKER_FAILURES", default=3)
BREAKER_RESET = env.seconds("BREAKER_RESET", default=2.0)

# Seconds a request may take in all, peer calls included: bodies is the lab's front door,
# and what is left of this is passed on to the peers (Request-Deadline-Ms).
REQUEST_DEADLINE = env.seconds("REQUEST_DEADLINE", default=1.0)
# Requests at work at once per worker process, how many may wait and how long; any other is
# refused at once (503 + Retry-After): ADMISSION_CONCURRENCY, ADMISSION_QUEUE, ADMISSION_WAIT.
ADMISSION = AdmissionPolicy.from_environment(env)
# Chaos (fault injection, /_chaos and the page's chaos drawer): the local lab only.
CUPCAKE_CHAOS = env.flag("CUPCAKE_CHAOS")
# Seconds a guided tour's faults last unless the page renews them, which it does while the
# tour runs: a page closed mid-tour leaves no chaos behind for longer than this.
TOUR_CHAOS_EXPIRY = env.seconds("TOUR_CHAOS_EXPIRY", default=10.0)

# Where the page may load pictures from (its Content-Security-Policy's img-src): each
# service's public origin; set it when the peers' public URLs differ from FROSTINGS_URL
# and TOPPINGS_URL.
PAGE_IMAGE_ORIGINS = env.origins(
    "PAGE_IMAGE_ORIGINS",
    default=",".join(map(origin_of, (PUBLIC_URL, FROSTINGS_URL, TOPPINGS_URL))),
)

# Baking is public: each client (IP address) may bake this many cupcakes per period, in
# bursts of up to that many; more is 429 with Retry-After. "off" lifts the limit.
BAKE_RATE_LIMIT = rate_parse(env.text("BAKE_RATE_LIMIT") or "60/minute", name="BAKE_RATE_LIMIT")
# How many proxies in front of this service append to X-Forwarded-For; 0 (none) means the
# client is the address the connection comes from, and X-Forwarded-For is ignored.
TRUSTED_PROXY_HOPS = env.whole("TRUSTED_PROXY_HOPS")

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
    "bodies.lab",
]

MIDDLEWARE = [
    "bodies.core.request_log.RequestLogMiddleware",
    # Outside everything that may answer, so that every answer carries their headers.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bodies.core.problem_middleware.ProblemMiddleware",
    "bodies.core.content_length.ContentLengthMiddleware",
    "bodies.core.admin_gate.AdminGateMiddleware",
    # Django's and WhiteNoise's own, skipped on the API's paths (bodies.core.browser_only):
    # only the admin's pages and the static files use them.
    "bodies.core.browser_only.WhiteNoiseMiddleware",
    "bodies.core.browser_only.SessionMiddleware",
    # The host check (ALLOWED_HOSTS) and Content-Length, on every answer.
    "django.middleware.common.CommonMiddleware",
    "bodies.core.browser_only.CsrfViewMiddleware",
    "bodies.core.browser_only.AuthenticationMiddleware",
    "bodies.core.browser_only.MessageMiddleware",
]
# check --deploy looks for CSRF protection by the literal path of Django's middleware;
# here it is bodies.core.browser_only.CsrfViewMiddleware, Django's own for the admin.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

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

# Levels only: the handler, JSON lines on stderr, is the chassis' (bodies.config.wsgi).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO"},
    "filters": {
        "not_a_refusal": {
            "()": "django.utils.log.CallbackFilter",
            "callback": "ext://bodies.core.request_log.not_a_refusal",
        },
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # 4xx are already in the request log line; keep django.request for server errors,
        # but not for the 503s bodies answers on purpose.
        "django.request": {"level": "ERROR", "filters": ["not_a_refusal"]},
        # httpx logs every outbound request at INFO; the assembler logs the failed ones itself.
        "httpx": {"level": "WARNING"},
    },
}
