"""The person's file: identity, rights over time, every measure's section, a timeline, case notes, documents.

Gathers, for one person, what the kernel holds and what each app's registered section provider gives
(``person_file.sections_for``). A fixed number of queries, whatever the length of the person's history.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import person_file, person_records, rights, selectors
from .models import DocumentKind, RightType
from .person_file import TimelineEvent
from .tenancy import can_read, can_write
from .url_patterns import choice_labels, url_maker

# A long history opens on its most recent steps; "show everything" lists them all. No more notes or documents
# than the timeline shows can reach it: the file reads one more, to know there are more.
TIMELINE_SHOWN = selectors.LATEST_SHOWN - 1
NOTES_SHOWN = 20
DOCUMENTS_SHOWN = 20


def _right_events(decisions, file_url):
    for decision in decisions:
        yield decision.decided_on or decision.start, lambda decision=decision: TimelineEvent(
            day=decision.decided_on or decision.start, label=_(
                "%(right)s granted from %(start)s (category %(category)s)") % {
                "right": decision.right_label,
                "start": date_format(decision.start, "SHORT_DATE_FORMAT"), "category": decision.category},
            url=f"{file_url}#rights")
        if decision.end is not None:
            yield decision.end, lambda decision=decision: TimelineEvent(
                day=decision.end, label=_("%(right)s ended") % {"right": decision.right_label},
                url=f"{file_url}#rights")


def _note_events(notes, file_url):
    for note in notes:
        def event(note=note):
            author = (note.author.get_full_name() or note.author.get_username()) if note.author_id else "—"
            label = _("Confidential case note by %(author)s") if note.confidential else _("Case note by %(author)s")
            return TimelineEvent(day=note.day, label=label % {"author": author}, url=f"{file_url}#note-{note.pk}")
        yield note.day, event


def _document_events(documents, file_url):
    for document in documents:
        day = timezone.localdate(document.uploaded_at)
        yield day, lambda document=document, day=day: TimelineEvent(
            day=day, label=_("%(kind)s added: %(name)s") % {
                "kind": document.kind_label, "name": document.title or document.original_name},
            url=f"{file_url}#documents")


def _timeline(sections, kernel_events, shown):
    """The events newest first; the kernel's own are labelled only when shown (``shown=None``: all of them)."""
    events = [(event.day, lambda event=event: event) for section in sections for event in section.events]
    events += kernel_events
    events.sort(key=lambda pair: pair[0], reverse=True)
    return [make() for _day, make in (events if shown is None else events[:shown])], len(events)


def person_file_context(*, beneficiary, user, membership, everything=False):
    cpas = membership.cpas
    file_url = reverse("beneficiary_detail", args=[beneficiary.pk])
    decisions = selectors.person_decisions(cpas=cpas, beneficiary=beneficiary)
    # The right in force today, from the decisions read here (as ``selectors.beneficiary_list`` annotates it).
    today = rights.in_force_among(decisions, day=timezone.localdate())
    beneficiary.right_type_on_day = today.right_type if today else None
    beneficiary.category_on_day = today.category if today else None
    beneficiary.right_end_on_day = today.end if today else None
    if everything:
        notes = list(selectors.case_note_list(cpas=cpas, beneficiary=beneficiary, user=user, membership=membership))
    else:
        notes = selectors.latest_case_notes(cpas=cpas, beneficiary=beneficiary, user=user, membership=membership)
    may_read_documents = can_read(membership, "person_documents")
    documents = []
    if may_read_documents:
        documents = list(selectors.document_list(cpas=cpas, beneficiary=beneficiary)) if everything else (
            selectors.latest_documents(cpas=cpas, beneficiary=beneficiary))
    decision_url, right_types = url_maker("right_decision_edit", beneficiary.pk), choice_labels(RightType.choices)
    for decision in decisions:
        decision.edit_url = decision_url(decision.pk)
        decision.right_label = right_types.get(decision.right_type, decision.right_type)
    kinds = choice_labels(DocumentKind.choices)
    for document in documents:
        document.kind_label = kinds.get(document.kind, document.kind)
    sections = person_file.sections_for(beneficiary=beneficiary, user=user)
    kernel_events = [*_right_events(decisions, file_url), *_note_events(notes, file_url),
                     *_document_events(documents, file_url)]
    timeline, event_count = _timeline(sections, kernel_events, None if everything else TIMELINE_SHOWN)
    shown_notes = notes if everything else notes[:NOTES_SHOWN]
    shown_documents = documents if everything else documents[:DOCUMENTS_SHOWN]
    note_url = url_maker("case_note_edit", beneficiary.pk)
    for note in shown_notes:
        note.may_edit = person_records.may_edit_note(user=user, membership=membership, note=note)
        note.edit_url = note_url(note.pk)
    document_url = url_maker("document_download", beneficiary.pk)
    for document in shown_documents:
        document.download_url = document_url(document.pk)
    return {
        "decisions": decisions,
        "notes": shown_notes,
        "more_notes": len(notes) > len(shown_notes),
        "documents": shown_documents,
        "more_documents": len(documents) > len(shown_documents),
        "may_read_documents": may_read_documents,
        "sections": sections,
        "actions": [action for section in sections for action in section.actions],
        "timeline": timeline,
        "more_events": len(timeline) < event_count,
        "everything": everything,
        "can_edit": can_write(membership, "beneficiaries"),
        "may_write_confidential": person_records.may_read_confidential(
            user=user, membership=membership, beneficiary=beneficiary),
    }
