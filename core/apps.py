from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # apps.py is imported before the models are ready; registration waits for ready().
        from core import checks  # noqa: F401  (registers the system checks)
