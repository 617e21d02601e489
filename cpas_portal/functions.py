"""Database functions the ORM lacks, written for both databases the project runs on."""

from django.db.models import DateField, Func


class DayBefore(Func):
    """The day before a date, computed in the database: ``date - 1`` on PostgreSQL, ``date(…, '-1 day')`` on
    SQLite (dates are ISO text there). Plain date arithmetic through the ORM would give a timestamp on SQLite,
    which compares as text with a date."""

    arity = 1
    output_field = DateField()
    template = "(%(expressions)s - 1)"

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="date(%(expressions)s, '-1 day')", **extra_context)
