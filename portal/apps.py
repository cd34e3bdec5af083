from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Citizen portal")

    def ready(self) -> None:
        # apps.py is imported before the models are ready; registration waits for ready().
        from cases import hooks
        from portal import checks  # noqa: F401  (registers the system checks)
        from portal.services import on_case_transition

        hooks.on_transition(on_case_transition)
