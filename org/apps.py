from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # apps.py is imported before the models are ready; registration waits for ready().
        from django.db.models.signals import post_delete, post_save

        from org import checks, sessions  # noqa: F401  (system checks; the sign-in stamp of sessions)
        from org.models import ApiKey, Partner, Unit, User
        from org.selectors import unit_tree_changed
        from org.services.organisation import api_keys_forget

        # The unit tree kept in the process (routing, ancestors) is dropped when a unit changes.
        post_save.connect(unit_tree_changed, sender=Unit, dispatch_uid="org.unit_tree.save")
        post_delete.connect(unit_tree_changed, sender=Unit, dispatch_uid="org.unit_tree.delete")
        # The verified API keys kept in the process (with their owner and the owner's unit) are
        # forgotten when any of them changes: a revocation or a disabled owner takes effect at once.
        for model in (ApiKey, User, Partner, Unit):
            name = model._meta.model_name
            post_save.connect(api_keys_forget, sender=model, dispatch_uid=f"org.api_keys.save.{name}")
            post_delete.connect(api_keys_forget, sender=model, dispatch_uid=f"org.api_keys.delete.{name}")
