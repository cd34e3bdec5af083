from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Complaints linked to a grievance become visible to the liaison through the `grievance`
        # scope of the access policy; `cases` cannot import this app, so it is registered here.
        from cases.selectors import SCOPE_HOOKS
        from org import access
        from oversight.selectors import grievance_cases_q

        SCOPE_HOOKS[access.GRIEVANCE] = grievance_cases_q
