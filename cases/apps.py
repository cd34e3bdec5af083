from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from cases.models import Category
        from cases.selectors import categories_changed

        # The active categories kept in the process (intake) are dropped when one changes.
        post_save.connect(categories_changed, sender=Category, dispatch_uid="cases.categories.save")
        post_delete.connect(categories_changed, sender=Category, dispatch_uid="cases.categories.delete")
