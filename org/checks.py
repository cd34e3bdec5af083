"""System checks of staff accounts: production refuses to run without the second factor."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register

from core.env import env_str
from org import conf


@register(Tags.security)
def check_second_factor_in_production(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """AMANE_REQUIRE_2FA=0 is for the demo only (`make run` sets it): production refuses it."""
    if env_str("AMANE_ENV", "development") == "production" and not conf.require_second_factor():
        return [
            Error(
                "AMANE_REQUIRE_2FA is off while AMANE_ENV=production.",
                hint="Unit chiefs, inspectors, oversight liaisons and administrators must pass a second "
                "factor in production: remove AMANE_REQUIRE_2FA=0 (it is meant for the demo).",
                id="amane.E101",
            )
        ]
    return []
