from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo loaders and the call simulator: the only app allowed to import every other one."""

    name = "demo"
    verbose_name = "Demo"
