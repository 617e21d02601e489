"""Many new rows of one table in one statement: ``COPY … FROM STDIN`` on PostgreSQL.

A multi-row ``INSERT`` of 5,000 claim lines spends most of its time outside the database: Django
compiles one placeholder per value and the driver quotes 100,000 values one by one, then the server
parses them. ``COPY`` streams the same rows as CSV text (written by the csv module, in C), which the server
reads without parsing SQL (a fifth of the time in the claims benchmark). The rows go through the table's
constraints and triggers as an ``INSERT`` would (checks, unique indexes, deferred foreign keys).
Other databases (SQLite in development and tests) get :func:`insert_rows`, one multi-row ``INSERT``
per batch that the database's parameter limit allows.
"""

import csv
import io
import json
import time

from django.db import connections, router

from .bulk_history import insert_rows


def copy_rows(model, fields, rows):
    """Insert ``rows`` (tuples of values in the order of ``fields``, field names) into ``model``'s table.

    As with ``bulk_create``, no ``full_clean``, no ``save()`` and no default: the caller gives every value
    (the database's constraints still apply). Returns the number of rows."""
    if not rows:
        return 0
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        limit = connection.features.max_query_params or 30000
        insert_rows(model, fields, rows, batch_size=max(1, min(2000, limit // len(fields))))
        return len(rows)
    quote = connection.ops.quote_name
    concrete = [model._meta.get_field(name) for name in fields]
    columns = ", ".join(quote(field.column) for field in concrete)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    # The csv module writes numbers, dates and timestamps (with their offset) as PostgreSQL reads them, and
    # True/False, which PostgreSQL's boolean input takes. Every value is quoted but None, written bare and
    # empty: PostgreSQL's CSV reads that as NULL and "" as an empty string. JSON columns go as their text.
    json_columns = [index for index, field in enumerate(concrete) if field.get_internal_type() == "JSONField"]
    if json_columns:
        rows = [tuple(json.dumps(value) if index in json_columns and value is not None else value
                      for index, value in enumerate(row)) for row in rows]
    data = io.StringIO()
    csv.writer(data, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
    data.seek(0)
    began = time.monotonic()
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, data)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(data.getvalue())
    if connection.queries_logged:
        # Shown with the other queries (debug toolbar, CaptureQueriesContext), as Django would log it.
        connection.queries_log.append({"sql": f"{sql} -- {len(rows)} rows",
                                       "time": f"{time.monotonic() - began:.3f}"})
    return len(rows)
