from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Digital identity")

    def ready(self) -> None:
        # apps.py is imported before the models are ready; registration waits for ready().
        from identity import checks  # noqa: F401  (registers the system checks)
