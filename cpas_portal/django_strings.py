"""Django's own strings that its Dutch catalogue lacks (Django 6.1).

Without a Dutch translation Django falls back to the default language, French; listing them here
puts them in this project's catalogues.
"""

from django.utils.translation import gettext_noop

MISSING_IN_DJANGO_DUTCH = [
    gettext_noop("- Select an option -"),
    gettext_noop("No %s matches the given query."),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Logout"),
]
