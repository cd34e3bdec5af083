from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo loaders and the call simulator: the only app allowed to import every other one."""

    name = "demo"
    verbose_name = "Demo"

    def ready(self) -> None:
        # apps.py is imported before the models are ready; registration waits for ready().
        from demo import checks  # noqa: F401  (registers the system checks)
