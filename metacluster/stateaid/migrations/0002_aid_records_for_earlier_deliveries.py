"""Deliveries recorded before the ledger existed get their aid record, valued at the rate of
their service today (the only rate known), under the de minimis scheme every programme starts
with."""

from decimal import Decimal

from django.db import migrations


def backfill(apps, schema_editor):
    Delivery = apps.get_model("services", "Delivery")
    AidRecord = apps.get_model("stateaid", "AidRecord")
    missing = Delivery.objects.filter(aid__isnull=True).select_related("service")
    records = [
        AidRecord(
            delivery=delivery,
            company_id=delivery.company_id,
            programme_id=delivery.service.programme_id,
            granted_on=delivery.date,
            scheme="de_minimis",
            units=delivery.quantity,
            market_rate=delivery.service.value_per_unit,
            value=(delivery.quantity * delivery.service.value_per_unit).quantize(Decimal("0.01")),
        )
        for delivery in missing.iterator(chunk_size=2000)
    ]
    AidRecord.objects.bulk_create(records, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("stateaid", "0001_ledger"),
        ("services", "0002_alter_service_kind_servicerequest"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
