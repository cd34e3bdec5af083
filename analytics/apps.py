from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # The media desk's figures (analytics may read media; media never imports analytics).
        from analytics.indicators import hooks
        from media.indicators import media_first_answer_hook, rumour_rebuttal_hook

        hooks.register("media_first_answer", media_first_answer_hook)
        hooks.register("rumour_rebuttal", rumour_rebuttal_hook)
