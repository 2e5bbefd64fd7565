"""{% reset_mail_can_be_sent as can_mail %} for the password-reset pages."""

from __future__ import annotations

from django import template

from accounts import mail

register = template.Library()


@register.simple_tag
def reset_mail_can_be_sent() -> bool:
    return mail.reset_mail_can_be_sent()
