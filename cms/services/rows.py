"""A new row and the rows that name it (its audit entries, its first e-mail), saved together.

On PostgreSQL in one statement: the row's INSERT in a WITH clause, each dependent row's INSERT
taking the new id from it. When a popular group opens, hundreds of people enrol within a second
on two cores, and three separate ORM inserts cost a worker more CPU (each INSERT compiled anew,
three round trips) than anything else in the enrolment. Elsewhere (SQLite) one `save()` after
the other, the ORM's plain way.

Either way the rows are exactly those the ORM's `save_base()` writes: the columns are the
models' own, each value is prepared by its field (`pre_save`, `get_db_prep_save`) as the ORM's
insert prepares it, and `pre_save`/`post_save` are sent for every row. A model's own `save()`
is not called (Wagtail's log entry would check its foreign keys in the database there, a query
per entry; `enrolment_log` skips it the same way). A test on PostgreSQL compares the rows of
both ways.
"""

import functools
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.signals import post_save, pre_save


@dataclass(frozen=True)
class NewId:
    """A dependent row's field that holds the new row's id: the id itself (a foreign key's
    column) or, with `text`, the id written between `prefix` and `suffix`."""

    text: bool = False
    prefix: str = ""
    suffix: str = ""

    def value(self, pk: int, field: Field) -> int | str:
        if not self.text:
            return pk
        return f"{self.prefix}{pk}{self.suffix}"[: field.max_length]


def rows_insert(row: Model, dependents: list[tuple[Model, dict[str, NewId]]]) -> None:
    """Insert `row`, then each dependent row with its `NewId` fields set from `row`'s new id.
    Every instance comes back saved, with its primary key, as `save_base(force_insert=True)`
    leaves it. Call it inside the transaction that should hold the rows together (on SQLite
    they are separate statements)."""
    using = router.db_for_write(type(row), instance=row)
    connection = connections[using]
    if not _one_statement(connection):
        row.save_base(force_insert=True, using=using)
        for instance, ids in dependents:
            new_ids_set(instance, ids, row.pk)
            instance.save_base(force_insert=True, using=using)
        return
    everything = [row, *(instance for instance, _ids in dependents)]
    for instance in everything:
        pre_save.send(type(instance), instance=instance, raw=False, using=using, update_fields=None)
    _insert_one_statement(row, dependents, connection)
    for instance in everything:
        instance._state.adding = False
        instance._state.db = using
        post_save.send(
            type(instance), instance=instance, created=True, update_fields=None, raw=False,
            using=using,
        )  # fmt: skip


def _one_statement(connection) -> bool:
    """PostgreSQL runs an INSERT inside WITH; SQLite does not."""
    return connection.vendor == "postgresql"


def new_ids_set(instance: Model, ids: dict[str, NewId], pk: int) -> None:
    """Set the `NewId` fields of `instance` from an id known already."""
    for name, new_id in ids.items():
        field = instance._meta.get_field(name)
        setattr(instance, field.attname, new_id.value(pk, field))


def _insert_one_statement(row: Model, dependents: list, connection) -> None:
    # The statement depends on the models and on which fields take the id as text, not on the
    # text around it (a key with the time in it): one statement per shape, made once.
    shape = (
        type(row),
        tuple(
            (type(instance), tuple((name, new_id.text) for name, new_id in ids.items()))
            for instance, ids in dependents
        ),
    )
    sql, fields = _statement(shape, connection.alias)
    params = _values(row, fields[0], {}, connection)
    for (instance, ids), own_fields in zip(dependents, fields[1:], strict=True):
        params += _values(instance, own_fields, ids, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pks = cursor.fetchone()
    row.pk = pks[0]
    for (instance, ids), pk in zip(dependents, pks[1:], strict=True):
        instance.pk = pk
        new_ids_set(instance, ids, row.pk)


def _insert_fields(model: type[Model]) -> list[Field]:
    """The columns the ORM's insert writes: every concrete field but a generated primary key.
    A model with a parent table would need the parent's row first: not for this statement."""
    opts = model._meta
    if opts.parents:
        raise NotImplementedError(f"{model.__name__} has a parent table")
    return [
        field
        for field in opts.local_concrete_fields
        if not field.generated and not (field.primary_key and field is opts.auto_field)
    ]


@functools.cache
def _statement(shape: tuple, alias: str) -> tuple[str, list[list[Field]]]:
    """The statement for one shape of rows (which models; which fields take the new id, and
    whether as text), made once per process:
    `WITH new AS (INSERT ... RETURNING id), d0 AS (INSERT ...), ... SELECT the ids`."""
    # Only names from the models' metadata, quoted, and placeholders are put into the text.
    quote = connections[alias].ops.quote_name
    model, dependents = shape
    new_pk = f"(SELECT {quote(model._meta.pk.column)} FROM new)"  # noqa: S608
    fields = [_insert_fields(model)]
    parts = [f"new AS ({_insert_sql(model, fields[0], {}, quote, new_pk)})"]
    for n, (dependent, ids) in enumerate(dependents):
        fields.append(_insert_fields(dependent))
        parts.append(f"d{n} AS ({_insert_sql(dependent, fields[-1], dict(ids), quote, new_pk)})")
    selected = [new_pk] + [
        f"(SELECT {quote(dependent._meta.pk.column)} FROM d{n})"  # noqa: S608
        for n, (dependent, _ids) in enumerate(dependents)
    ]
    return f"WITH {', '.join(parts)} SELECT {', '.join(selected)}", fields


def _insert_sql(
    model: type[Model], fields: list[Field], as_text: dict[str, bool], quote, new_pk: str
) -> str:
    """One INSERT of the WITH clause; `as_text`: the fields that take the new id, and whether
    as text around it (else the id itself)."""
    values = []
    for field in fields:
        if hasattr(field, "get_placeholder"):
            raise NotImplementedError(f"{field} needs its own placeholder")
        text = as_text.get(field.name)
        if text is None:
            values.append("%s")
        elif not text:
            values.append(new_pk)
        elif field.max_length:
            values.append(f"left(%s || {new_pk} || %s, {int(field.max_length)})")
        else:
            values.append(f"(%s || {new_pk} || %s)")
    columns = ", ".join(quote(field.column) for field in fields)
    pk = quote(model._meta.pk.column)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns})"  # noqa: S608
        f" VALUES ({', '.join(values)}) RETURNING {pk}"
    )


def _values(instance: Model, fields: list[Field], ids: dict, connection) -> list:
    """Each field's value as the ORM's insert prepares it; a `NewId` field gives its text
    around the id (the id itself is taken in the statement)."""
    values = []
    for field in fields:
        new_id = ids.get(field.name)
        if new_id is None:
            value = field.pre_save(instance, add=True)
            if hasattr(value, "resolve_expression"):
                raise NotImplementedError(f"{field}: an expression, not a value")
            values.append(field.get_db_prep_save(value, connection=connection))
        elif new_id.text:
            values += [new_id.prefix, new_id.suffix]
    return values
