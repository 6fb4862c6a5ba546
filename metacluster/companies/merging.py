"""Merging a duplicate company record into the one to keep, and undoing it.

Every record that points at the duplicate (engagements, deliveries, deals, notes, contacts,
offers, users, consortium memberships: any foreign key to Company, found from the model
graph so that a new app is covered without changing this module) is repointed to the kept
record in one transaction. The duplicate itself stays, marked `merged_into`, so that `undo`
can point everything back. A record that cannot move because the kept company already has
its unique counterpart (an engagement in the same programme) stays with the duplicate and
is listed in the merge.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Company, Merge

# Fields the kept record takes over from the duplicate when its own are empty.
FILLABLE = [
    "town", "registry_code", "vat_number", "nace_codes", "employees", "turnover",
    "turnover_previous", "founded_year", "website", "description", "legal_form",
    "register_status", "address", "postcode",
]  # fmt: skip


def _relations():
    """(model, field name) of every foreign key to Company, hidden M2M tables included."""
    for relation in Company._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and relation.one_to_many:
            if relation.related_model in (Company, Merge):  # the merge bookkeeping itself
                continue
            yield relation.related_model, relation.field.name


def _label(model, field: str) -> str:
    return f"{model._meta.label}.{field}"


def _model_of(label: str):
    from django.apps import apps

    app_model, field = label.rsplit(".", 1)
    return apps.get_model(app_model), field


def _empty(value) -> bool:
    return value in (None, "", [])


@transaction.atomic
def merge(survivor: Company, duplicate: Company, *, by=None) -> Merge:
    """Merge `duplicate` into `survivor`; return the record of it."""
    survivor = Company.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Company.objects.select_for_update().get(pk=duplicate.pk)
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A company cannot be merged into itself."))
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError(_("One of these companies has already been merged."))
    moved, kept_back = {}, {}
    for model, field in _relations():
        rows = list(model._base_manager.filter(**{field: duplicate}).values_list("pk", flat=True))
        for pk in rows:
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).update(**{field: survivor})
            except IntegrityError:
                kept_back.setdefault(_label(model, field), []).append(pk)
            else:
                moved.setdefault(_label(model, field), []).append(pk)
    filled = {}
    # The registry code is unique per country: the duplicate gives it up before the survivor
    # takes it.
    updates = {}
    for name in FILLABLE:
        mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if _empty(mine) and not _empty(theirs):
            filled[name] = _json(mine)
            updates[name] = theirs
    if "registry_code" in updates:
        Company.objects.filter(pk=duplicate.pk).update(registry_code="")
    duplicate.merged_into = survivor
    Company.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    for name, value in updates.items():
        setattr(survivor, name, value)
    survivor.version += 1
    survivor.save()
    return Merge.objects.create(
        survivor=survivor, merged=duplicate, moved=moved, kept_back=kept_back, filled=filled,
        merged_by=by,
    )  # fmt: skip


@transaction.atomic
def undo(record: Merge, *, by=None) -> None:
    """Point everything that moved back at the duplicate and restore the kept record's
    fields; records added to the kept company since the merge stay where they are."""
    record = Merge.objects.select_for_update().get(pk=record.pk)
    if record.is_undone:
        raise ValidationError(_("This merge has already been undone."))
    if Merge.objects.filter(survivor=record.merged, undone_at__isnull=True).exists():
        raise ValidationError(_("Undo the later merges into the merged record first."))
    survivor = Company.objects.select_for_update().get(pk=record.survivor_id)
    duplicate = Company.objects.select_for_update().get(pk=record.merged_id)
    for label, pks in record.moved.items():
        model, field = _model_of(label)
        model._base_manager.filter(pk__in=pks, **{field: survivor}).update(**{field: duplicate})
    code = survivor.registry_code if "registry_code" in record.filled else None
    for name, old in record.filled.items():
        # A field someone has changed since the merge keeps its new value.
        taken_over = getattr(duplicate, name) if name != "registry_code" else code
        if getattr(survivor, name) != taken_over:
            continue
        field = Company._meta.get_field(name)
        value = old if isinstance(field, models.JSONField) else field.to_python(old)
        setattr(survivor, name, value)
        if name == "registry_code":
            duplicate.registry_code = code
    survivor.version += 1
    survivor.save()
    duplicate.merged_into = None
    duplicate.version += 1
    duplicate.save()
    record.undone_at = timezone.now()
    record.undone_by = by
    record.save(update_fields=["undone_at", "undone_by"])


def _json(value):
    if value is None or isinstance(value, (str, int, list, bool)):
        return value
    return str(value)
