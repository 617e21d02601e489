"""Notifications: the daily job records each user's due items once; the inbox reads and marks them.

Who is notified of an item (``due.DueItem.audience``): a caseworker item goes to the person's referent,
a manager item to every manager of the CPAS, a finance item to every finance officer. The unique
(user, item, due date) constraint makes a second run add nothing. The optional e-mail digest lists
what is new since the last one: reasons and links only, never a person's national number.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import due
from .models import Cpas, Membership, Notification, Role

# How far ahead the job looks: the home pages' "this month" (contracts and rights ending within 30 days).
HORIZON_DAYS = 30
AUDIENCE_ROLES = {due.MANAGER: Role.MANAGER, due.FINANCE: Role.FINANCE}


def _recipients(item, members_by_role, member_ids):
    if item.audience == due.CASEWORKER:
        return [item.referent_id] if item.referent_id in member_ids else []
    return members_by_role.get(AUDIENCE_ROLES.get(item.audience), [])


def notifications_record_due(*, cpas, on):
    """Record every item due up to ``on`` + 30 days for whom it concerns. Returns the number of rows added."""
    items = due.due_items(cpas=cpas, on=on, until=on + timedelta(days=HORIZON_DAYS))
    members_by_role = {}
    for user_id, role in Membership.objects.filter(cpas=cpas, user__is_active=True).values_list("user_id", "role"):
        members_by_role.setdefault(role, []).append(user_id)
    member_ids = {user_id for ids in members_by_role.values() for user_id in ids}
    rows = [
        Notification(user_id=user_id, cpas=cpas, key=item.key[:120], due=item.due, kind=item.kind[:60],
                     person=item.beneficiary_name[:170], text=item.reason[:500], url=item.url[:300])
        for item in items for user_id in _recipients(item, members_by_role, member_ids)
    ]
    before = Notification.objects.filter(cpas=cpas).count()
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Notification.objects.filter(cpas=cpas).count() - before


def notifications_record_all(*, on):
    """The daily job: every CPAS, one after the other (each CPAS's items in a fixed number of queries)."""
    added = 0
    for cpas in Cpas.objects.order_by("pk"):
        with override(cpas.language):
            added += notifications_record_due(cpas=cpas, on=on)
    return added


def notification_mark_read(*, acting_user, pk):
    """Mark one of ``acting_user``'s notifications read (another user's is not found: nothing changes)."""
    return Notification.objects.filter(user=acting_user, pk=pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, acting_user):
    return Notification.objects.filter(user=acting_user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_send_digest(*, base_url=""):
    """E-mail each user who has an address their notifications not yet e-mailed, in one message, then mark them.

    Through Django's mail settings (``EMAIL_*``); only when ``CPAS_NOTIFICATION_DIGEST`` is on. Reasons and
    links only: neither the person's name nor a national number leaves by e-mail.
    """
    if not settings.CPAS_NOTIFICATION_DIGEST:
        return 0
    pending = list(Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
                   .exclude(user__email="").select_related("user", "cpas").order_by("user_id", "due", "id"))
    by_user = {}
    for notification in pending:
        by_user.setdefault(notification.user, []).append(notification)
    messages = []
    for user, notifications in by_user.items():
        with override(notifications[0].cpas.language):
            lines = [f"- {n.due:%d/%m/%Y} {n.text}\n  {base_url}{n.url}" for n in notifications]
            subject = _("CPAS Portal: %(count)s new item(s) to follow") % {"count": len(notifications)}
            body = "\n".join([_("New on your home page:"), "", *lines, "", _("Your inbox: %(url)s") % {
                "url": f"{base_url}/inbox/"}])
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(messages)


# Reads -----------------------------------------------------------------------------------------------

def inbox(*, user, unread_only=False):
    notifications = Notification.objects.filter(user=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("read_at", "-created_at", "due", "-id")


def unread_count(*, user):
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


