"""On SQLite, the full-text index that serves company search (see companies/fulltext.py);
PostgreSQL has its trigram index from 0006 and gets nothing here."""

from django.db import migrations

from metacluster.companies import fulltext


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            fulltext.create_index(cursor)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            fulltext.drop_index(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0006_company_search_text"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
