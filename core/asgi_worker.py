"""The gunicorn worker class of the ASGI server: `gunicorn -k core.asgi_worker.Worker amane.asgi:application`.

Kept apart from `core.asgi` so that only the server process imports gunicorn and uvicorn.
"""

from __future__ import annotations

import sys
from typing import Any

from gunicorn.arbiter import Arbiter
from uvicorn.server import Server
from uvicorn_worker import UvicornWorker

from core.asgi import drain


class DrainingServer(Server):
    """uvicorn's server, ending the open streams before it waits for the open connections."""

    async def shutdown(self, sockets: Any = None) -> None:
        drain()
        await super().shutdown(sockets=sockets)


class Worker(UvicornWorker):
    """gunicorn worker (`-k core.asgi.Worker`) for `amane.asgi:application`."""

    CONFIG_KWARGS: dict[str, Any] = {
        "loop": "asyncio",
        "http": "auto",
        "lifespan": "on",
        "proxy_headers": False,  # core.net reads X-Forwarded-* from the trusted proxies only
        "server_header": False,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config.timeout_graceful_shutdown = self.cfg.graceful_timeout

    async def _serve(self) -> None:
        self.config.app = self.wsgi
        server = DrainingServer(config=self.config)
        self._install_sigquit_handler()
        await server.serve(sockets=self.sockets)
        if not server.started:
            sys.exit(Arbiter.WORKER_BOOT_ERROR)
