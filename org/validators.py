"""Password rules of staff accounts (AUTH_PASSWORD_VALIDATORS) where Django's own fall short."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Amane's catalogue: Django 5.2 changed the message's
    placeholder and its Arabic catalogue has not followed, so Arabic users would read English."""

    def get_error_message(self) -> str:
        return _("This password is too short: it must have at least %(count)s characters.") % {"count": self.min_length}
