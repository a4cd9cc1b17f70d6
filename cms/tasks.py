"""django-q2 entry points of `cms`: they take primary keys, call a service and are safe to run
twice."""

from cms.services.sheet_imports import sheet_import_check as _sheet_import_check
from cms.services.sheet_imports import sheet_import_run as _sheet_import_run


def sheet_import_check(import_id: int) -> str:
    return _sheet_import_check(import_id=import_id).status


def sheet_import_run(import_id: int) -> str:
    return _sheet_import_run(import_id=import_id).status
