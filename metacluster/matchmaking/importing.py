"""Opportunities from a CSV or JSON file: every row validated first, then all saved or none.

Columns (CSV header or JSON keys): title, description, country (required); kind, city, buyer,
capabilities (codes of the programme's taxonomy), nace_codes, cpv_codes, budget, currency,
deadline (YYYY-MM-DD), language, visibility, status, eligible_countries, max_employees. In CSV,
list columns separate their codes with semicolons or commas.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .forms import OpportunityForm
from .models import Capability, Opportunity

LIST_COLUMNS = ("capabilities", "nace_codes", "cpv_codes", "eligible_countries")
MAX_ROWS = 5000


class ImportError_(Exception):
    """The file as a whole cannot be read."""


@dataclass
class ImportResult:
    created: list[Opportunity] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)


def _rows(data: bytes, name: str) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_(_("The file is not UTF-8 text.")) from None
    if name.lower().endswith(".json") or text.lstrip().startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportError_(_("Not valid JSON: %(error)s") % {"error": error.msg}) from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ImportError_(_("The JSON must be a list of objects."))
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    if len(rows) > MAX_ROWS:
        raise ImportError_(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return rows


def _as_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "")
    return [v.strip() for v in text.replace(";", ",").split(",") if v.strip()]


def import_opportunities(data: bytes, name: str, *, programme, user) -> ImportResult:
    """Validate every row as the opportunity form would; save all rows only if none fails."""
    result = ImportResult()
    try:
        rows = _rows(data, name)
    except ImportError_ as error:
        result.errors.append((0, str(error)))
        return result
    if not rows:
        result.errors.append((0, _("The file has no rows.")))
        return result
    taxonomy = {c.code: c.pk for c in Capability.objects.filter(programme=programme)}
    forms = []
    for number, row in enumerate(rows, 1):
        data_row = {k.strip(): v for k, v in row.items() if isinstance(k, str)}
        codes = _as_list(data_row.get("capabilities"))
        unknown = [c for c in codes if c not in taxonomy]
        if unknown:
            result.errors.append(
                (number, _("Unknown capabilities: %(codes)s.") % {"codes": ", ".join(unknown)})
            )
            continue
        values = {
            "programme": programme.pk,
            "partner": data_row.get("partner") or user.organisation_id,
            "kind": data_row.get("kind") or "buyer_request",
            "language": data_row.get("language") or "en",
            "visibility": data_row.get("visibility") or "programme",
            "status": data_row.get("status") or "published",
            "currency": data_row.get("currency") or "EUR",
            "capabilities": [taxonomy[c] for c in codes],
        }
        for key in (
            "title",
            "description",
            "country",
            "city",
            "buyer",
            "budget",
            "deadline",
            "max_employees",
        ):
            value = data_row.get(key)
            values[key] = "" if value is None else str(value)
        values["country"] = values["country"].upper()
        for key in ("nace_codes", "cpv_codes", "eligible_countries"):
            values[key] = ", ".join(_as_list(data_row.get(key)))
        form = OpportunityForm(values, user=user)
        if form.is_valid():
            forms.append(form)
        else:
            messages = [
                f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
                for name, errors in form.errors.items()
            ]
            result.errors.append((number, "; ".join(messages)))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            for form in forms:
                opportunity = form.save(commit=False)
                opportunity.created_by = user
                opportunity.save()
                form.save_m2m()
                result.created.append(opportunity)
    except ValidationError as error:
        result.created = []
        result.errors.append((0, " ".join(error.messages)))
    return result
