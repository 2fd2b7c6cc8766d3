"""Settings for the benchmark: production's, with only what a local plain-HTTP run needs.

`ocop.settings.production` unchanged (DEBUG off, persistent connections, every middleware,
CSP, sessions, the cached template loader DEBUG=False implies), except:

- ROOT_URLCONF: `bench.urls`, the project's URLs plus the baseline `/bench/bare/`;
- static files: Django's ManifestStaticFilesStorage instead of WhiteNoise's compressed
  manifest storage. `{% static %}` resolves hashed names from the same manifest either way;
  the compressed variants only matter when a static file itself is served, which the
  benchmark never asks for, and making them takes ~50 s of collectstatic against ~2 s;
- OCOP_OPEN_DATA_RATE: no rate limit on the open data, since every request of the benchmark
  comes from one address (the limit would answer 429 to nearly all of them).

The environment brings the rest, as in production: SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
SECURE_SSL_REDIRECT=0 (no TLS in front of gunicorn here), DATABASE_URL, STATIC_ROOT,
OCOP_VAR_DIR (bench/public_api.py sets them).
"""

from ocop.settings.production import *  # noqa: F403
from ocop.settings.production import STORAGES

ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
OCOP_OPEN_DATA_RATE = None
