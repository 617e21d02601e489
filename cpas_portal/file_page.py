"""The person's file: identity, rights over time, every measure's section, a timeline, case notes, documents.

Gathers, for one person, what the kernel holds and what each app's registered section provider gives
(``person_file.sections_for``). A fixed number of queries, whatever the length of the person's history.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import person_file, person_records, selectors
from .person_file import TimelineEvent
from .tenancy import can_read, can_write
from .url_patterns import url_maker


def _right_events(decisions, file_url):
    for decision in decisions:
        yield TimelineEvent(day=decision.decided_on or decision.start, label=_(
            "%(right)s granted from %(start)s (category %(category)s)") % {
            "right": decision.get_right_type_display(), "start": date_format(decision.start, "SHORT_DATE_FORMAT"),
            "category": decision.category}, url=f"{file_url}#rights")
        if decision.end is not None:
            yield TimelineEvent(day=decision.end, label=_("%(right)s ended") % {
                "right": decision.get_right_type_display()}, url=f"{file_url}#rights")


def _note_events(notes, file_url):
    for note in notes:
        author = (note.author.get_full_name() or note.author.get_username()) if note.author_id else "—"
        label = _("Confidential case note by %(author)s") if note.confidential else _("Case note by %(author)s")
        yield TimelineEvent(day=note.day, label=label % {"author": author}, url=f"{file_url}#note-{note.pk}")


def _document_events(documents, file_url):
    for document in documents:
        yield TimelineEvent(day=timezone.localdate(document.uploaded_at), label=_("%(kind)s added: %(name)s") % {
            "kind": document.get_kind_display(), "name": document.title or document.original_name},
            url=f"{file_url}#documents")


# A long history opens on its most recent steps; "show everything" lists them all.
TIMELINE_SHOWN = 50
NOTES_SHOWN = 20


def person_file_context(*, beneficiary, user, membership, everything=False):
    cpas = membership.cpas
    file_url = reverse("beneficiary_detail", args=[beneficiary.pk])
    decisions = list(selectors.right_decision_list(cpas=cpas, beneficiary=beneficiary))
    notes = selectors.case_note_list(cpas=cpas, beneficiary=beneficiary, user=user, membership=membership)
    # One more than shown tells whether there are more.
    notes = list(notes if everything else notes[:TIMELINE_SHOWN + 1])
    may_read_documents = can_read(membership, "person_documents")
    documents = list(selectors.document_list(cpas=cpas, beneficiary=beneficiary)) if may_read_documents else []
    sections = person_file.sections_for(beneficiary=beneficiary, user=user)
    events = [event for section in sections for event in section.events]
    events += list(_right_events(decisions, file_url))
    events += list(_note_events(notes, file_url))
    events += list(_document_events(documents, file_url))
    events.sort(key=lambda event: event.day, reverse=True)
    shown_notes = notes if everything else notes[:NOTES_SHOWN]
    note_url = url_maker("case_note_edit", beneficiary.pk)
    for note in shown_notes:
        note.may_edit = person_records.may_edit_note(user=user, membership=membership, note=note)
        note.edit_url = note_url(note.pk)
    document_url = url_maker("document_download", beneficiary.pk)
    for document in documents:
        document.download_url = document_url(document.pk)
    decision_url = url_maker("right_decision_edit", beneficiary.pk)
    for decision in decisions:
        decision.edit_url = decision_url(decision.pk)
    return {
        "decisions": decisions,
        "notes": shown_notes,
        "more_notes": len(notes) > len(shown_notes),
        "more_events": not everything and len(events) > TIMELINE_SHOWN,
        "everything": everything,
        "documents": documents,
        "may_read_documents": may_read_documents,
        "sections": sections,
        "actions": [action for section in sections for action in section.actions],
        "timeline": events if everything else events[:TIMELINE_SHOWN],
        "can_edit": can_write(membership, "beneficiaries"),
        "may_write_confidential": person_records.may_read_confidential(
            user=user, membership=membership, beneficiary=beneficiary),
    }
