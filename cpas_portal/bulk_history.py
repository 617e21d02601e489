"""History rows of many records in one statement (django-simple-history's tables, set-based).

``bulk_history_create`` builds one historical model instance per row in Python and inserts them:
for the 5,000 lines of a claim that is most of the time of writing it. :func:`record_history`
copies the rows the database already holds into their history table with one
``INSERT … SELECT``, so writing the history costs one query whatever the number of rows. The
historical rows are the ones django-simple-history writes (same columns, a history date, type,
user and no change reason): the admin's history pages and ``as_of`` read them as usual.
"""

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.utils import timezone

CREATED, CHANGED, DELETED = "+", "~", "-"
HISTORY_COLUMNS = {"history_id", "history_date", "history_type", "history_user_id", "history_change_reason"}


def record_history(queryset, *, history_type, user=None, when=None):
    """Write one history row for each row of ``queryset`` as it is now in the database; the count."""
    model = queryset.model
    historical = model.history.model
    sources = {field.attname: field.column for field in model._meta.concrete_fields}
    copied = []
    for field in historical._meta.concrete_fields:
        if field.attname in HISTORY_COLUMNS:
            continue
        if field.attname not in sources:
            raise ImproperlyConfigured(f"{historical.__name__}.{field.attname} has no column to copy from.")
        copied.append(field)
    using = router.db_for_write(historical)
    connection = connections[using]
    quote = connection.ops.quote_name
    rows = queryset.using(using).order_by("pk").values(*[field.attname for field in copied])
    try:
        select_sql, select_params = rows.query.get_compiler(using).as_sql()
    except EmptyResultSet:
        return 0
    history_fields = {field.attname: field for field in historical._meta.concrete_fields}
    extra = [("history_date", when or timezone.now()), ("history_type", history_type),
             ("history_user_id", getattr(user, "pk", user))]
    if "history_change_reason" in history_fields:
        extra.append(("history_change_reason", None))
    columns = [quote(field.column) for field in copied] + [quote(history_fields[name].column) for name, _ in extra]
    values = [f"sub.{quote(sources[field.attname])}" for field in copied] + ["%s"] * len(extra)
    sql = (f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(columns)}) "
           f"SELECT {', '.join(values)} FROM ({select_sql}) sub")
    params = [history_fields[name].get_db_prep_save(value, connection) for name, value in extra]
    with connection.cursor() as cursor:
        # The outer SELECT's placeholders (the history values) come before the subquery's in the text.
        cursor.execute(sql, [*params, *select_params])
        return cursor.rowcount


def insert_rows(model, fields, rows, *, batch_size=2000):
    """Insert ``rows`` (tuples of values in the order of ``fields``, field names) without building a model
    instance per row: one multi-row INSERT per ``batch_size`` rows. Values go through each field's
    database preparation, as ``bulk_create`` would; defaults and ``full_clean`` do not apply (the caller
    gives every value). Used where tens of thousands of rows are written at once (statement records)."""
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    concrete = [model._meta.get_field(name) for name in fields]
    # Per field, a preparation only where the database needs one (dates on SQLite, decimals…).
    prepare = [field.get_db_prep_save for field in concrete]
    columns = ", ".join(quote(field.column) for field in concrete)
    placeholder = "(" + ", ".join(["%s"] * len(concrete)) + ")"
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            chunk = rows[start:start + batch_size]
            params = [prep(value, connection) for row in chunk for prep, value in zip(prepare, row, strict=True)]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))}", params)


def update_with_history(queryset, *, values, history_type=CHANGED, user=None, when=None):
    """``UPDATE`` the rows of ``queryset`` with ``values`` (``{field name: value}``) and write one history row for
    each as it is after the change; the keys of the rows changed, in key order.

    On PostgreSQL it is one statement, ``WITH changed AS (UPDATE … RETURNING …) INSERT INTO <history> SELECT …
    FROM changed``: the rows are found, locked and changed once, and their history is written from what the
    update returns, without reading them again. ``queryset`` filters the model's own columns only (no join);
    the rows it no longer matches once the update has waited for another transaction are left alone, as with a
    plain ``UPDATE``. Elsewhere (SQLite) it is the update then :func:`record_history`."""
    model = queryset.model
    using = router.db_for_write(model)
    connection = connections[using]
    queryset = queryset.using(using)
    if connection.vendor != "postgresql":
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        model.objects.using(using).filter(pk__in=pks).update(**values)
        record_history(model.objects.using(using).filter(pk__in=pks), history_type=history_type, user=user,
                       when=when)
        return pks
    historical = model.history.model
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    query = queryset.query
    if len(query.alias_map) > 1:
        raise ValueError("update_with_history filters the model's own columns only.")
    compiler = query.get_compiler(using)
    try:
        where_sql, where_params = compiler.compile(query.where)
    except EmptyResultSet:
        return []
    sets, set_params = [], []
    for name, value in values.items():
        field = model._meta.get_field(name)
        sets.append(f"{quote(field.column)} = %s")
        set_params.append(field.get_db_prep_save(value, connection))
    sources = {field.attname: field.column for field in model._meta.concrete_fields}
    copied = [field for field in historical._meta.concrete_fields if field.attname not in HISTORY_COLUMNS]
    history_fields = {field.attname: field for field in historical._meta.concrete_fields}
    extra = [("history_date", when or timezone.now()), ("history_type", history_type),
             ("history_user_id", getattr(user, "pk", user))]
    if "history_change_reason" in history_fields:
        extra.append(("history_change_reason", None))
    returned = ", ".join(f"{table}.{quote(sources[field.attname])}" for field in copied)
    columns = [quote(field.column) for field in copied] + [quote(history_fields[name].column) for name, _ in extra]
    selected = [f"changed.{quote(sources[field.attname])}" for field in copied] + ["%s"] * len(extra)
    pk_column = quote(history_fields[model._meta.pk.attname].column)
    sql = (f"WITH changed AS (UPDATE {table} SET {', '.join(sets)} WHERE {where_sql or 'TRUE'} RETURNING {returned}) "
           f"INSERT INTO {quote(historical._meta.db_table)} ({', '.join(columns)}) "
           f"SELECT {', '.join(selected)} FROM changed RETURNING {pk_column}")
    params = [history_fields[name].get_db_prep_save(value, connection) for name, value in extra]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*set_params, *where_params, *params])
        return sorted(row[0] for row in cursor.fetchall())
