"""The WSGI application (benchmarks, any WSGI server); `amane.asgi` is what the scripts serve."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amane.settings")
application = get_wsgi_application()

from core.checks import refuse_unsafe_start  # noqa: E402  (after setup)

refuse_unsafe_start()
