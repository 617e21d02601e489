"""Reactions to logins and to changes of accounts."""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import get_token_model

from . import sessions, two_factor

User = get_user_model()


@receiver(user_logged_in, dispatch_uid="cpas_session_login")
def start_session_clocks(sender, request, user, **kwargs):
    # API token logins send this signal too, without a session login: nothing to stamp then.
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        sessions.stamp_login(session)
        two_factor.remember_enrolment(session, two_factor.confirmed_device(user) is not None)


@receiver(pre_save, sender=User, dispatch_uid="cpas_tokens_note_credentials")
def note_credential_change(sender, instance, update_fields=None, **kwargs):
    """A new password or a deactivation ends every API token of the account (after the save)."""
    instance._cpas_revoke_tokens = False
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is not None:
        instance._cpas_revoke_tokens = (before["password"] != instance.password
                                        or (before["is_active"] and not instance.is_active))


@receiver(post_save, sender=User, dispatch_uid="cpas_tokens_revoke")
def revoke_tokens(sender, instance, created, **kwargs):
    if getattr(instance, "_cpas_revoke_tokens", False):
        get_token_model().objects.filter(user=instance).delete()
        instance._cpas_revoke_tokens = False
