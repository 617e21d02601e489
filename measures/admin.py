from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RisAmount


@admin.register(RisAmount)
class RisAmountAdmin(SimpleHistoryAdmin):
    """A national parameter table: every CPAS reads it, administrators with the permission edit it."""

    list_display = ["effective_date", "category_1", "category_2", "category_3", "verified", "source"]
    list_filter = ["verified"]
    date_hierarchy = "effective_date"
