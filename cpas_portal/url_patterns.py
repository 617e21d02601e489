"""Addresses of many rows of one kind, reversed once: a page listing a long history builds each row's link by
filling in its id instead of resolving the URL pattern again for every row."""

from django.urls import reverse

_PLACEHOLDER = 987654321987


def url_maker(name, *leading_args):
    """``make(pk)`` → ``reverse(name, args=[*leading_args, pk])``, with the pattern resolved once."""
    template = reverse(name, args=[*leading_args, _PLACEHOLDER])
    marker = str(_PLACEHOLDER)

    def make(pk):
        return template.replace(marker, str(pk))

    return make


def choice_labels(choices):
    """``{value: label}`` of ``choices``, translated once: ``get_FOO_display()`` on each of many rows hashes every
    lazy label again (a translation lookup per choice per row)."""
    return {value: str(label) for value, label in choices}
