from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live updates")

    def ready(self) -> None:
        from core.asgi import on_drain
        from live.events import shutdown

        on_drain(shutdown)  # a stopping ASGI server ends the open streams first
