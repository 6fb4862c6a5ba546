"""Service requests move here from `services`, keeping their tables (``services_…``): the
models are created in the migration state only, and the content types are renamed so that
admin history and permissions follow them. `services` 0005 then deletes them from its state."""

import django.db.models.deletion
import django.utils.timezone
import metacluster.servicerequests.models
from django.conf import settings
from django.db import migrations, models


MODELS = ["servicerequest", "requestevent", "requestcomment", "requestnotice"]


def rename_content_types(source, target):
    def rename(apps, schema_editor):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in MODELS:
            if not content_type.objects.filter(app_label=target, model=model).exists():
                content_type.objects.filter(app_label=source, model=model).update(app_label=target)

    return rename


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_user_company'),
        ('companies', '0005_list_filter_indexes'),
        ('services', '0003_request_history_comments_sharing'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ServiceRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('origin', models.CharField(choices=[('direct', 'asked directly'), ('readiness', 'readiness recommendation'), ('feasibility', 'feasibility study'), ('matchmaking', 'matchmaking')], default='direct', max_length=12, verbose_name='origin')),
                        ('message', models.TextField(blank=True, verbose_name='message')),
                        ('status', models.CharField(choices=[('requested', 'requested'), ('accepted', 'accepted'), ('planned', 'planned'), ('delivered', 'delivered'), ('declined', 'declined'), ('withdrawn', 'withdrawn')], default='requested', max_length=10, verbose_name='status')),
                        ('due_date', models.DateField(blank=True, null=True, verbose_name='wanted by')),
                        ('planned_for', models.DateField(blank=True, null=True, verbose_name='planned for')),
                        ('shared_fields', models.JSONField(blank=True, default=list, help_text="What of the company's profile the partner asked may see.", validators=[metacluster.servicerequests.models.validate_shared_fields], verbose_name='shared profile fields')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='requested')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('advisor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assigned_requests', to=settings.AUTH_USER_MODEL, verbose_name='assigned advisor')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='service_requests', to='companies.company', verbose_name='company')),
                        ('delivery', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='request', to='services.delivery', verbose_name='delivery')),
                        ('referring_organisation', models.ForeignKey(blank=True, help_text="The partner that asked on the company's behalf; empty when the SME asked.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referred_requests', to='accounts.organisation', verbose_name='referred by')),
                        ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='service_requests', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('service', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='requests', to='services.service', verbose_name='service')),
                        ('shared_contacts', models.ManyToManyField(blank=True, related_name='shared_in_requests', to='companies.contact', verbose_name='shared contacts')),
                    ],
                    options={
                        'verbose_name': 'service request',
                        'verbose_name_plural': 'service requests',
                        'db_table': 'services_servicerequest',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('from_status', models.CharField(blank=True, choices=[('requested', 'requested'), ('accepted', 'accepted'), ('planned', 'planned'), ('delivered', 'delivered'), ('declined', 'declined'), ('withdrawn', 'withdrawn')], max_length=10, verbose_name='from')),
                        ('to_status', models.CharField(choices=[('requested', 'requested'), ('accepted', 'accepted'), ('planned', 'planned'), ('delivered', 'delivered'), ('declined', 'declined'), ('withdrawn', 'withdrawn')], max_length=10, verbose_name='to')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='when')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.organisation', verbose_name='organisation')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='history', to='servicerequests.servicerequest')),
                    ],
                    options={
                        'verbose_name': 'request status change',
                        'verbose_name_plural': 'request status changes',
                        'db_table': 'services_requestevent',
                        'ordering': ['at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='comment')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='written')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.organisation', verbose_name='organisation')),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='servicerequests.servicerequest')),
                    ],
                    options={
                        'verbose_name': 'request comment',
                        'verbose_name_plural': 'request comments',
                        'db_table': 'services_requestcomment',
                        'ordering': ['created_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='RequestNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sent_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='servicerequests.requestcomment')),
                        ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='servicerequests.requestevent')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'request notification',
                        'verbose_name_plural': 'request notifications',
                        'db_table': 'services_requestnotice',
                        'constraints': [models.UniqueConstraint(fields=('event', 'recipient'), name='services_notice_once_per_event'), models.UniqueConstraint(fields=('comment', 'recipient'), name='services_notice_once_per_comment'), models.CheckConstraint(condition=models.Q(models.Q(('comment__isnull', False), ('event__isnull', True)), models.Q(('comment__isnull', True), ('event__isnull', False)), _connector='OR'), name='services_notice_about_one_thing')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            rename_content_types("services", "servicerequests"),
            rename_content_types("servicerequests", "services"),
        ),
    ]
