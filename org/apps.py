from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # apps.py is imported before the models are ready; registration waits for ready().
        from org import checks, sessions  # noqa: F401  (system checks; the sign-in stamp of sessions)
