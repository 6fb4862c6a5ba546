"""Service requests moved to their own app (servicerequests 0001); the table of the study's
requests is unchanged, so only the migration state follows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0002_trade_datasets_tariffs_study_requests"),
        ("servicerequests", "0001_move_from_services"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="feasibilitystudy",
                    name="service_requests",
                    field=models.ManyToManyField(
                        blank=True,
                        editable=False,
                        help_text="Requests made for the study's requirements (see workflows.request_help).",
                        related_name="feasibility_studies",
                        to="servicerequests.servicerequest",
                        verbose_name="service requests",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
