"""Model instances from SQL the project writes itself, through Django's public API only.

For the one or two reads on the hottest path (opening a share link), compiling a queryset costs
more than running it. There we write the SQL ourselves (table and column names from `_meta`)
and turn the rows into instances with `Model.from_db`, converting each value with the field's
`to_python`: no part of the ORM's compiler is used, so a Django upgrade cannot break it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, router
from django.db.models import DateTimeField, Field, ForeignKey, Model
from django.utils import timezone


@dataclass(frozen=True)
class Columns:
    """Some concrete fields of a model, in the model's own order (what `from_db` expects), and
    their SQL: `"table"."column", ...`."""

    model: type[Model]
    fields: tuple[Field, ...]
    sql: str

    @classmethod
    def of(cls, model: type[Model], names: Sequence[str], *, table: str | None = None) -> Columns:
        wanted = set(names)
        fields = tuple(
            field
            for field in model._meta.concrete_fields
            if field.name in wanted or field.attname in wanted
        )
        missing = wanted - {f.name for f in fields} - {f.attname for f in fields}
        if missing:
            raise ValueError(f"{model.__name__} has no concrete fields {sorted(missing)}")
        table = table or model._meta.db_table
        sql = ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields)
        return cls(model, fields, sql)

    def instance(self, values: Sequence[Any], *, using: str) -> Model:
        """An instance as loaded from the database (not `adding`); other fields are deferred."""
        converted = [
            _to_python(field, value) for field, value in zip(self.fields, values, strict=True)
        ]
        return self.model.from_db(using, [field.attname for field in self.fields], converted)


def _to_python(field: Field, value: object) -> object:
    if value is None:
        return None
    if isinstance(field, ForeignKey):
        field = field.target_field
    result = field.to_python(value)
    if (
        isinstance(field, DateTimeField)
        and isinstance(result, datetime)
        and timezone.is_naive(result)
    ):
        result = timezone.make_aware(result, UTC)  # stored in UTC (USE_TZ)
    return result


@dataclass(frozen=True)
class WithRelated:
    """Every column of a model and of the model one of its foreign keys points to, read as the
    ORM's `select_related(foreign_key)` reads them: `sql` is the SELECT and the join, to which
    a caller adds its WHERE; `first` gives the instance with the related one set."""

    main: Columns
    related: Columns
    foreign_key: str
    sql: str

    @classmethod
    def of(cls, model: type[Model], foreign_key: str) -> WithRelated:
        field = model._meta.get_field(foreign_key)
        related_model = field.related_model
        assert isinstance(field, ForeignKey) and isinstance(related_model, type)
        assert issubclass(related_model, Model)
        main, related = _all_columns(model), _all_columns(related_model)
        table, related_table = quote(model._meta.db_table), quote(related_model._meta.db_table)
        target = quote(field.target_field.column)
        sql = (
            f"SELECT {main.sql}, {related.sql} FROM {table} INNER JOIN {related_table} "
            f"ON {related_table}.{target} = {table}.{quote(field.column)} "
        )
        return cls(main, related, foreign_key, sql)

    def first(self, where: str, params: Sequence[Any]) -> Model | None:
        """The first row of `sql` + `where`, as instances, or None."""
        alias, rows = fetch(self.main.model, self.sql + where, params)
        if not rows:
            return None
        split = len(self.main.fields)
        instance = self.main.instance(rows[0][:split], using=alias)
        setattr(instance, self.foreign_key, self.related.instance(rows[0][split:], using=alias))
        return instance


def _all_columns(model: type[Model]) -> Columns:
    return Columns.of(model, [field.name for field in model._meta.concrete_fields])


def fetch(model: type[Model], sql: str, params: Sequence[Any]) -> tuple[str, list[tuple]]:
    """Run `sql` on the database `model` is read from: (alias, rows)."""
    alias = router.db_for_read(model)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, list(params))
        return alias, cursor.fetchall()


def column(model: type[Model], name: str) -> str:
    """The database column of one of the model's concrete fields (by name or attname)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise LookupError(f"{model.__name__}.{name} is no column")
    return field.column


def quote(name: str) -> str:
    """An SQL identifier in double quotes, as SQLite and PostgreSQL both read it."""
    return '"' + name.replace('"', '""') + '"'
