"""Settings for collecting the benchmark's static files only.

The portal's own settings, with Django's manifest storage in place of whitenoise's
compressing one: the hashed names and ``staticfiles.json`` are the same, so the portal under
benchmark (which keeps its own settings) finds every file, but nothing is gzip- and
brotli-compressed. That compression takes minutes on two busy cores, and no scenario requests
a static file.
"""

from portal.settings import *  # noqa: F403
from portal.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
