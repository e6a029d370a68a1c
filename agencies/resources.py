"""Bulk import/export of agencies (django-import-export), and the strict base every resource of
the project uses.

The rules (shared by agencies.resources and obligations.resources):

- all or nothing: imports run in a transaction that is rolled back when any row is invalid
  (`import_data` forces ``rollback_on_validation_errors``); the admin previews (dry run) first and
  only offers to confirm a clean file;
- the same validation as the forms: ``full_clean()`` on every instance (choices, constraints,
  the models' own ``clean()``);
- row-level messages in Spanish: unknown agency / obligation / cycle (foreign keys are given by
  natural key: acronym, code, slug), a key repeated in the file, a cell that a spreadsheet would run
  as a formula (``=HYPERLINK(...)``), plus a file-level message for missing required columns;
- exports neutralise formula cells (lib.formulas).

`read_dataset()` decodes uploaded bytes strictly (UTF-8, with or without BOM) and says so in
Spanish when the encoding is wrong; `import_file()` is the service used outside the admin.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import zipfile

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import UniqueConstraint
from django.db.models.functions import Lower
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import exceptions, fields, resources, widgets
from import_export.formats import base_formats
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import Result, RowResult

from agencies.models import Agency
from lib.formulas import escape_formula, is_formula

UNKNOWN_AGENCY = gettext_lazy("Dependencia desconocida: «%(value)s».")
EMPTY_FILE = gettext_lazy("El archivo está vacío: la primera fila debe nombrar las columnas.")


class ImportFileError(Exception):
    """The file cannot be read at all (wrong encoding, not CSV/XLSX, too many rows)."""


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key given by natural key (acronym, code, slug), with a cache and a Spanish
    message naming the unknown value (`unknown`: e.g. "Dependencia desconocida: «%(value)s».")."""

    def __init__(self, model, field, unknown, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.unknown = unknown
        self._cache = {}

    @staticmethod
    def key(value) -> str | None:
        """The natural key a cell names (surrounding spaces dropped; None for an empty cell)."""
        if value is None or str(value).strip() == "":
            return None
        return str(value).strip()

    def clean(self, value, row=None, **kwargs):
        value = self.key(value)
        if value is None:
            return None
        if value not in self._cache:
            self._cache[value] = self.get_queryset(value, row, **kwargs).filter(**{self.field: value}).first()
        if self._cache[value] is None:
            raise ValueError(str(self.unknown) % {"value": value})
        return self._cache[value]

    def preload(self, values) -> None:
        """Resolve every key of a column in one query (for a unique `field`): `clean()` then
        answers from the cache, with the same rule and the same message for an unknown key."""
        keys = {self.key(value) for value in values} - {None} - set(self._cache)
        if not keys:
            return
        found = {
            str(getattr(obj, self.field)): obj
            for obj in self.get_queryset(None, None).filter(**{f"{self.field}__in": keys})
        }
        for key in keys:
            self._cache[key] = found.get(key)


class NaturalKeysWidget(widgets.ManyToManyWidget):
    """Several natural keys in one cell, separated by ';' (e.g. 'SEP; INM')."""

    def __init__(self, model, field, unknown, **kwargs):
        super().__init__(model, separator=";", field=field, **kwargs)
        self.unknown = unknown

    def clean(self, value, row=None, **kwargs):
        if not value:
            return self.model.objects.none()
        keys = [key.strip() for key in str(value).split(self.separator) if key.strip()]
        found = {getattr(obj, self.field): obj for obj in self.model.objects.filter(**{f"{self.field}__in": keys})}
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise ValueError(str(self.unknown) % {"value": "», «".join(unknown)})
        return [found[key] for key in keys]


class NaturalKeyInstanceLoader(BaseInstanceLoader):
    """Loads, in one query, the existing rows the file refers to, keyed by the resource's natural
    key (`row_key` / `instance_key`), so that updates are matched without one query per row and a
    row with an unknown foreign key is reported by its field, not as a crash."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.instances = {}
        if dataset is not None and dataset.headers:
            rows = list(dataset.dict)
            queryset = resource.natural_key_queryset(rows)
            if not getattr(resource, "dry_run", True):
                # The confirming import validates against rows that cannot change before it writes.
                queryset = queryset.select_for_update(of=("self",))
            for instance in queryset:
                self.instances[resource.instance_key(instance)] = instance

    def get_instance(self, row):
        return self.instances.get(self.resource.row_key(row))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class StrictModelResource(resources.ModelResource):
    """See the module docstring. Subclasses set `required_columns` and the natural key
    (`key_columns`, `row_key`, `instance_key`, `natural_key_queryset`)."""

    required_columns: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()

    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen_keys: dict[tuple, int] = {}

    # --- import --------------------------------------------------------------------------

    # Called with the number of rows done every PROGRESS_EVERY rows (obligations.imports).
    progress = None
    PROGRESS_EVERY = 250

    def import_data(self, dataset, *args, **kwargs):
        """All or nothing, always: a transaction rolled back on any error or invalid row."""
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        self._seen_keys = {}
        self.dry_run = kwargs.get("dry_run", args[0] if args else False)
        return super().import_data(dataset, *args, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        number = kwargs.get("row_number") or 0
        if self.progress is not None and number % self.PROGRESS_EVERY == 0:
            self.progress(number)

    def before_import(self, dataset, **kwargs):
        headers = [_text(h) for h in (dataset.headers or [])]
        missing = [column for column in self.required_columns if column not in headers]
        if missing:
            raise ValueError(_("Faltan columnas obligatorias: %(columns)s.") % {"columns": ", ".join(missing)})
        # A misspelt header would otherwise drop that column's data without a word.
        known = {field.column_name for field in self.fields.values()}
        unknown = [header for header in headers if header and header not in known]
        if unknown:
            raise ValueError(
                _("Columnas desconocidas: %(columns)s. Revise los encabezados.") % {"columns": ", ".join(unknown)}
            )
        self._folded_keys = {field: self._existing_folded(field) for field in self._case_insensitive_fields()}
        super().before_import(dataset, **kwargs)

    def _case_insensitive_fields(self) -> list[str]:
        """Fields under a UniqueConstraint(Lower(field)) (lib.constraints.unique_ignoring_case)."""
        return [
            constraint.expressions[0].source_expressions[0].name
            for constraint in self._meta.model._meta.constraints
            if isinstance(constraint, UniqueConstraint)
            and len(constraint.expressions) == 1
            and isinstance(constraint.expressions[0], Lower)
        ]

    def _existing_folded(self, field: str) -> dict[str, str]:
        values = self._meta.model.objects.values_list(field, flat=True)
        return {value.lower(): value for value in values if value}

    def _case_errors(self, instance) -> dict[str, list[str]]:
        """A new row whose acronym, code or slug differs only in case from a stored one."""
        errors = {}
        if not instance._state.adding:
            return errors
        for field, existing in getattr(self, "_folded_keys", {}).items():
            value = getattr(instance, field, None) or ""
            stored = existing.get(value.lower())
            if stored is not None and stored != value:
                errors[field] = [
                    _("Ya existe «%(stored)s»: «%(value)s» sólo difiere en mayúsculas y minúsculas.")
                    % {"stored": stored, "value": value}
                ]
        return errors

    def before_import_row(self, row, **kwargs):
        errors: dict[str, list[str]] = {}
        for column, value in row.items():
            if is_formula(value):
                message = _(
                    "La celda «%(column)s» empieza con «%(char)s» y una hoja de cálculo la ejecutaría como "
                    "fórmula (%(value)s). Quite ese carácter inicial."
                ) % {"column": column, "char": value[:1].strip() or "tabulador", "value": value[:40]}
                errors.setdefault(column if column in self.fields else NON_FIELD_ERRORS, []).append(message)
        original = self.row_key(row)
        key = tuple(str(part).casefold() for part in original)  # `sep` repeats `SEP`
        if key and any(key):
            number = kwargs.get("row_number")
            if key in self._seen_keys:
                errors.setdefault(NON_FIELD_ERRORS, []).append(
                    _("Clave repetida en el archivo: «%(key)s» (ya aparece en la fila %(row)s).")
                    % {"key": " · ".join(str(part) for part in original), "row": self._seen_keys[key]}
                )
            else:
                self._seen_keys[key] = number
        if errors:
            raise ValidationError(errors)
        super().before_import_row(row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model.full_clean() (field checks, the model's clean(), unique checks and constraints),
        without the queries that repeat what the import already established: a foreign key
        resolved by its natural-key widget is not looked up again (an empty one is still checked),
        and a new row's natural key is not re-checked for uniqueness (see below)."""
        errors = dict(import_validation_errors or {})
        for field, messages in self._case_errors(instance).items():
            errors.setdefault(field, []).extend(messages)
        if self._meta.clean_model_instances:
            resolved = {
                attribute
                for attribute in self._natural_key_attributes()
                if getattr(instance, f"{attribute}_id", None) is not None
            }
            resolved |= self.stored_foreign_keys(instance)
            if not self.validate_unwritten_fields:
                resolved |= self._unwritten_fields()
            exclude = set(errors)
            key_fields = self.unique_checked_fields(instance)
            for step in (
                lambda: instance.clean_fields(exclude=exclude | resolved),
                instance.clean,
                lambda: (
                    validate_unique
                    and self._unique_checks_left(instance, exclude | key_fields)
                    and instance.validate_unique(exclude=exclude | key_fields)
                ),
                lambda: (
                    self._constraints_left(exclude | key_fields)
                    and instance.validate_constraints(exclude=exclude | key_fields)
                ),
            ):
                try:
                    step()
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
                    exclude.update(errors)  # as full_clean(): later checks skip invalid fields
        if errors:
            raise ValidationError(errors)

    # Whether the model fields the import never writes (left at their defaults on a new row, as
    # stored on an existing one) are validated on every row; a resource whose other fields are
    # only ever set by the application (e.g. a rating's workflow fields) turns it off.
    validate_unwritten_fields = True

    def _unwritten_fields(self) -> set[str]:
        if getattr(self, "_unwritten", None) is None:
            written = {field.attribute for field in self.get_import_fields() if field.attribute and not field.readonly}
            self._unwritten = {field.name for field in self._meta.model._meta.concrete_fields} - written
        return self._unwritten

    def _natural_key_attributes(self) -> list[str]:
        if getattr(self, "_natural_keys", None) is None:
            self._natural_keys = [
                field.attribute for field in self.get_import_fields() if isinstance(field.widget, NaturalKeyWidget)
            ]
        return self._natural_keys

    def get_import_fields(self):
        """The library's list, computed once per resource (it asks for it on every row)."""
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def _unique_checks_left(self, instance, exclude: set[str]) -> bool:
        """Whether `validate_unique(exclude=exclude)` has anything to check (it depends only on the
        model and `exclude`: answered once per set of excluded fields, not per row)."""
        memo = self.__dict__.setdefault("_unique_memo", {})
        key = frozenset(exclude)
        if key not in memo:
            unique_checks, date_checks = instance._get_unique_checks(exclude=exclude)
            memo[key] = bool(unique_checks or date_checks)
        return memo[key]

    def _constraints_left(self, exclude: set[str]) -> bool:
        """Whether `validate_constraints(exclude=exclude)` has anything to check: a unique
        constraint on an excluded field is skipped (as Django does), without building its query
        first for every row."""
        memo = self.__dict__.setdefault("_constraint_memo", {})
        key = frozenset(exclude)
        if key not in memo:
            model = self._meta.model
            memo[key] = bool(model._meta.parents) or any(
                not (isinstance(c, UniqueConstraint) and c.fields and exclude & set(c.fields))
                for c in model._meta.constraints
            )
        return memo[key]

    def unique_checked_fields(self, instance) -> set[str]:
        """Fields whose unique checks the import has already made for `instance`: a new row's
        natural key was checked against the database (the instance loader read every existing row
        the file names) and against the file (duplicates), so there is no second query per row
        for the unique constraint on that key. The database constraint still guards the insert."""
        if instance._state.adding:
            return {self.fields[c].attribute for c in self.key_columns}
        return set()

    def stored_foreign_keys(self, instance) -> set[str]:
        """Foreign keys of a stored row that the import does not write (and that have no
        `limit_choices_to`): they hold what the database's foreign-key constraint accepted, so
        they are not looked up again (one query per row each)."""
        if instance._state.adding:
            return set()
        written = {field.attribute for field in self.get_import_fields() if not field.readonly}
        return {
            field.name
            for field in instance._meta.concrete_fields
            if field.many_to_one
            and field.name not in written
            and not field.remote_field.limit_choices_to
            and getattr(instance, field.attname) is not None
        }

    def natural_key_queryset(self, rows):
        keys = {_text(row.get(self.key_columns[0])) for row in rows}
        return self._meta.model.objects.filter(**{f"{self.key_columns[0]}__in": keys})

    def row_key(self, row) -> tuple:
        return tuple(_text(row.get(column)) for column in self.key_columns)

    def instance_key(self, instance) -> tuple:
        return tuple(_text(getattr(instance, column)) for column in self.key_columns)

    # --- export --------------------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))


@contextlib.contextmanager
def _cyclic_gc_paused():
    """Python's cyclic garbage collector paused while an import builds its tens of thousands of
    instances (it would otherwise rescan them over and over: ~15 % of the import's CPU); memory
    is still freed by reference counting, and a collection runs as usual once resumed."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class PlannedResult(Result):
    """The Result of a planned import: totals and the refused rows, no RowResult per row."""

    def row_errors(self):
        return [(row.number, row.errors) for row in self.error_rows]


class PlannedImportMixin:
    """An import in two steps instead of the library's row loop, for a `StrictModelResource`:
    the plan (every row validated), then the writes in batches (`write(creates, updates)`), all or
    nothing, in one transaction.

    The plan asks the resource's own rules, in the library's order, so that rules, messages and
    row numbers stay those of the row-by-row path: `before_import` (the columns),
    `before_import_row` (formula cells, a key repeated in the file), the instance loader (existing
    rows), `import_instance` (the widgets), `validate_instance` (full_clean and the resource's own
    rules), `before_save_instance`. What it leaves out is the per-row machinery around them: every
    natural-key column is resolved in one query (`NaturalKeyWidget.preload`) and the existing rows
    in one (the loader; locked when confirming), no RowResult or diff per row, and a dry run (the
    preview) writes nothing, so only the confirmation writes."""

    def write(self, creates: list, updates: list) -> None:
        raise NotImplementedError

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        self._seen_keys = {}
        self.dry_run = dry_run
        kwargs.update(dry_run=dry_run, using_transactions=True)
        result = PlannedResult()
        result.total_rows = len(dataset)
        using = self.get_db_connection_name()
        with _cyclic_gc_paused(), transaction.atomic(using=using):
            creates, updates = self.plan(dataset, result, **kwargs)
            refused = result.has_errors() or result.has_validation_errors()
            if not dry_run and not refused:
                try:
                    self.write(creates, updates)
                    self.after_import(dataset, result, **kwargs)
                except Exception as exc:  # the database refused a write: nothing is kept
                    self.handle_import_error(result, exc)
            if dry_run or result.has_errors() or result.has_validation_errors():
                transaction.set_rollback(True, using=using)
        if raise_errors and (result.has_errors() or result.has_validation_errors()):
            raise exceptions.ImportError(result_messages(result)[0])
        return result

    def _import_instance_for(self, headers):
        """The library's `import_instance` (every field's widget, a ValueError becoming the
        field's message), with the list of fields the file writes worked out once for its
        columns instead of on every row; the library's own where a resource overrides it."""
        if (
            type(self).import_instance is not resources.Resource.import_instance
            or type(self).import_field is not resources.Resource.import_field
        ):
            return self.import_instance
        written = [
            field
            for field in self.get_import_fields()
            if field.attribute
            and field.column_name in headers
            and not field.readonly
            and not isinstance(field.widget, widgets.ManyToManyWidget)
        ]

        def import_instance(instance, row, **kwargs):
            errors = {}
            for field in written:
                try:
                    field.save(instance, row, **kwargs)
                except ValueError as exc:
                    errors[field.attribute] = ValidationError(force_str(exc), code="invalid")
            if errors:
                raise ValidationError(errors)

        return import_instance

    def plan(self, dataset, result, **kwargs) -> tuple[list, list]:
        """Validate every row; returns the instances to create and to update (ready to save)
        and records each refused row, with its number, in `result`."""
        try:
            self.before_import(dataset, **kwargs)
            self._check_import_id_fields(dataset.headers)
        except Exception as exc:
            self.handle_import_error(result, exc)
        headers = list(dataset.headers or [])
        loader = self._meta.instance_loader_class(self, dataset)
        for field in self.get_import_fields():
            if isinstance(field.widget, NaturalKeyWidget) and field.column_name in headers:
                field.widget.preload(dataset[field.column_name])
        creates, updates = [], []
        totals = result.totals
        import_instance = self._import_instance_for(headers)
        for number, values in enumerate(dataset, 1):
            row = dict(zip(headers, values, strict=False))
            kwargs["row_number"] = number
            try:
                self.before_import_row(row, **kwargs)
                instance = loader.get_instance(row)
                new = not instance
                if new:
                    instance = self.init_instance(row)
                errors = {}
                try:
                    import_instance(instance, row, **kwargs)
                except ValidationError as exc:
                    errors = exc.update_error_dict(errors)
                self.validate_instance(instance, errors)
                self.before_save_instance(instance, row, **kwargs)
            except ValidationError as exc:
                result.append_invalid_row(number, row, exc)
                totals[RowResult.IMPORT_TYPE_INVALID] += 1
            except Exception as exc:  # as the library: the row is refused with the error
                result.append_error_row(number, row, [self.get_error_result_class()(exc, row=row, number=number)])
                totals[RowResult.IMPORT_TYPE_ERROR] += 1
            else:
                (creates if new else updates).append(instance)
                totals[RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE] += 1
            if self.progress is not None and number % self.PROGRESS_EVERY == 0:
                self.progress(number)
        return creates, updates


FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("El archivo tiene más de %(limit)s filas de datos: divídalo en archivos más pequeños.")
        % {"limit": f"{limit:,}".replace(",", " ")}
    )


def _csv_dataset(content: bytes, max_rows: int, first: int | None = None) -> tablib.Dataset:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "El archivo no está codificado en UTF-8 (byte no válido en la posición %(position)s). "
                "Guárdelo como «CSV UTF-8» y vuelva a importarlo."
            )
            % {"position": exc.start}
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    dataset = tablib.Dataset()
    try:
        headers = next(reader, None) or []
        if not any(cell.strip() for cell in headers):
            raise ImportFileError(EMPTY_FILE)
        dataset.headers = headers
        width = len(headers)
        number = 0
        for row in reader:
            if not row:
                continue  # blank lines, as tablib skips them
            number += 1
            if first is not None and number > first:
                break
            if number > max_rows:
                raise _too_many_rows(max_rows)
            dataset.append(row + [""] * (width - len(row)))
    except csv.Error as exc:
        raise ImportFileError(_("No se pudo leer el archivo: %(error)s") % {"error": exc}) from None
    except tablib.InvalidDimensions:
        raise ImportFileError(
            _("La fila %(row)s no tiene el mismo número de columnas que los encabezados.") % {"row": number + 1}
        ) from None
    return dataset


def _xlsx_dataset(content: bytes, max_rows: int, first: int | None = None) -> tablib.Dataset:
    """The first sheet, read with openpyxl in read-only (streaming) mode, values only (never
    formulas), after checking the archive's uncompressed size (no zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ImportFileError(_("El archivo no es un libro de Excel (XLSX) válido.")) from None
    if unzipped > settings.IMPORT_MAX_UNZIPPED_BYTES:
        raise ImportFileError(_("El libro de Excel descomprimido es demasiado grande."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on malformed files
        raise ImportFileError(_("El archivo no es un libro de Excel (XLSX) válido.")) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True) if workbook.worksheets else iter(())
        dataset = tablib.Dataset()
        headers = ["" if cell is None else str(cell) for cell in next(rows, None) or ()]
        if not any(cell.strip() for cell in headers):
            raise ImportFileError(EMPTY_FILE)
        dataset.headers = headers
        width = len(headers)
        for number, row in enumerate(rows, start=1):
            if first is not None and len(dataset) >= first:
                break
            if number > max_rows:
                raise _too_many_rows(max_rows)
            cells = list(row[:width]) + [None] * (width - len(row))
            if any(cell not in (None, "") for cell in cells):
                dataset.append(cells)
    finally:
        workbook.close()
    return dataset


def read_dataset(
    content: bytes, file_format: str = "csv", max_rows: int | None = None, *, first: int | None = None
) -> tablib.Dataset:
    """A tablib Dataset from uploaded bytes: CSV (UTF-8, a BOM is accepted) or XLSX; at most
    `max_rows` data rows (settings.IMPORT_MAX_ROWS). `first`: only the first rows (a page of a
    file already read whole)."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    if file_format == "csv":
        return _csv_dataset(content, max_rows, first)
    if file_format == "xlsx":
        return _xlsx_dataset(content, max_rows, first)
    raise ImportFileError(_("Formato no admitido: %(format)s. Use CSV o XLSX.") % {"format": file_format})


def import_file(resource, content: bytes, file_format: str = "csv", *, dry_run: bool = True, user=None):
    """Import an uploaded file through a resource (dry run by default); returns the
    import-export Result. Raises ImportFileError when the file cannot be read."""
    dataset = read_dataset(content, file_format)
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False, user=user)


def result_messages(result) -> list[str]:
    """Human-readable messages of a Result: file-level errors, then 'Fila N: …' per row."""
    messages = [str(error.error) for error in result.base_errors]
    for line in result.row_errors():
        number, errors = line
        messages.extend(_("Fila %(row)s: %(error)s") % {"row": number, "error": error.error} for error in errors)
    for invalid in result.invalid_rows:
        for field_name, field_errors in invalid.error_dict.items():
            prefix = "" if field_name in (NON_FIELD_ERRORS, "") else f"{field_name}: "
            for message in field_errors:
                messages.append(_("Fila %(row)s: %(error)s") % {"row": invalid.number, "error": prefix + str(message)})
    return messages


# --- agencies --------------------------------------------------------------------------------


class AgencyResource(StrictModelResource):
    parent = fields.Field(
        attribute="parent",
        column_name="parent",
        widget=NaturalKeyWidget(Agency, "acronym", unknown=UNKNOWN_AGENCY),
    )
    # Computed from the dated memberships (CommissionMembership) as of today; ignored on import.
    commission_member = fields.Field(column_name="commission_member", readonly=True, widget=widgets.BooleanWidget())
    required_columns = ("acronym", "name_es")
    key_columns = ("acronym",)

    class Meta(StrictModelResource.Meta):
        model = Agency
        import_id_fields = ("acronym",)
        fields = (
            "acronym",
            "name_es",
            "name_en",
            "order",
            "kind",
            "parent",
            "state_name",
            "commission_member",
            "consulted_by_cndh_2019",
            "active",
            "source",
            "notes",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("parent").with_commission_member()

    def dehydrate_commission_member(self, instance):
        if hasattr(instance, "commission_member"):
            member = instance.commission_member
        else:
            member = instance.is_commission_member() if instance.pk else False
        return self.fields["commission_member"].widget.render(member)  # "1"/"0" like the other flags
