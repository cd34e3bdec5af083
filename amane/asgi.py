"""The ASGI application served by `make run` and `make serve` (see `core.asgi`)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amane.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402  (after setup)

from core.asgi import PooledASGIHandler  # noqa: E402
from core.checks import refuse_unsafe_start  # noqa: E402

refuse_unsafe_start()
application = PooledASGIHandler(threads=settings.WEB_THREADS)
