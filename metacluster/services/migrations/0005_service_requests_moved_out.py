"""Service requests moved to their own app, `servicerequests` (its 0001 creates them in the
migration state over the same tables); here they leave the state, and the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0004_translations"),
        ("servicerequests", "0001_move_from_services"),
        # Every relation to the requests must point at the new app before they leave this one.
        ("markets", "0003_service_requests_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="RequestNotice"),
                migrations.DeleteModel(name="RequestComment"),
                migrations.DeleteModel(name="RequestEvent"),
                migrations.DeleteModel(name="ServiceRequest"),
            ],
            database_operations=[],
        ),
    ]
