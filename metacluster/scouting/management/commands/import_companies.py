"""`metacluster import-companies FILE --source NAME --user USERNAME`: import a register file.

Imports the file in one transaction, in a single pass (the rows are checked as they are
read), and prints the counts and the first row errors; --dry-run only checks; --background
enqueues the job for the worker (REDIS_URL) and prints its id at once. The rows go into the organisation of --user, who must be an
advisor or programme manager, as in the web import. Columns are mapped as the source's saved
mapping says, else as the file's layout or header suggests; --map FIELD=COLUMN overrides.
"""

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from metacluster.accounts.models import User
from metacluster.core.scouting import guess_mapping, recognise_layout
from metacluster.core.scouting.columns import FIELDS, LAYOUTS, with_derived
from metacluster.jobs.running import queue_enabled
from metacluster.scouting import importing
from metacluster.scouting.files import ENCODINGS, Table, UnreadableFile, copy_upload
from metacluster.scouting.models import ColumnMapping, ImportJob, ImportMode, ImportStatus


class Command(BaseCommand):
    help = "Import companies from a CSV or XLSX register file into a user's organisation."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help="where the file comes from")
        parser.add_argument("--user", required=True, help="username of the importing advisor")
        parser.add_argument("--country", default="", help="country of rows without one")
        parser.add_argument("--encoding", default="utf-8", choices=sorted(ENCODINGS))
        parser.add_argument(
            "--map", action="append", default=[], metavar="FIELD=COLUMN",
            help=f"map a column to a field ({', '.join(FIELDS)})",
        )  # fmt: skip
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="import only if every row is valid"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")
        parser.add_argument(
            "--save-mapping", action="store_true", help="remember the mapping for the source"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="enqueue the import for the worker and print the job id (needs REDIS_URL)",
        )

    def handle(self, *args, **options):
        if options["background"] and not queue_enabled():
            raise CommandError(
                "--background needs a worker: set REDIS_URL and run `metacluster worker`"
            )
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        if not (user.organisation_id and user.can_edit_records and not user.is_sme):
            raise CommandError("only advisors and programme managers of an organisation import")
        path = options["file"]
        try:
            headers = with_derived(Table(path, options["encoding"], check=True).headers)
        except (OSError, UnreadableFile) as error:
            raise CommandError(f"cannot read {path}: {error}") from error
        columns = self._columns(user, options, headers)
        layout = recognise_layout(headers) or ""
        country = options["country"].upper() or LAYOUTS.get(layout, {}).get("defaults", {}).get(
            "country", ""
        )
        # The job keeps its own copy, as an upload does, so the original may move meanwhile.
        copy = copy_upload(path)
        job = ImportJob.objects.create(
            organisation=user.organisation, created_by=user, source=options["source"],
            file_name=os.path.basename(path)[:255], path=str(copy), headers=headers,
            layout=layout, columns=columns, default_country=country,
            encoding=options["encoding"],
            mode=ImportMode.ALL_OR_NOTHING if options["all_or_nothing"] else ImportMode.VALID_ROWS,
        )  # fmt: skip
        if options["save_mapping"]:
            ColumnMapping.objects.update_or_create(
                organisation=user.organisation, source=options["source"],
                defaults={"columns": columns, "default_country": country},
            )  # fmt: skip
        if options["background"]:
            importing.start(job, commit=not options["dry_run"])
            self.stdout.write(str(job.pk))
            return
        self.stdout.write(f"columns: {columns}")
        if options["dry_run"]:
            importing.run(job, commit=False, progress=self._progress("checking"))
            self._report(job)
            return
        importing.run(job, commit=True, progress=self._progress("importing"))
        self._report(job)
        if job.status == ImportStatus.REJECTED:
            raise CommandError("rows have errors and --all-or-nothing is set: nothing imported")
        if job.status != ImportStatus.DONE:
            raise CommandError(job.message)

    def _columns(self, user, options, headers):
        saved = ColumnMapping.objects.filter(
            organisation=user.organisation, source=options["source"]
        ).first()
        columns = (
            saved.columns
            if saved and all(c in headers for c in saved.columns.values())
            else guess_mapping(headers)
        )
        for item in options["map"]:
            field, _, column = item.partition("=")
            if field not in FIELDS or column not in headers:
                raise CommandError(f"--map {item}: unknown field or column")
            columns[field] = column
        if "name" not in columns:
            raise CommandError("no column for the company name: add --map name=COLUMN")
        return columns

    def _progress(self, label):
        if not sys.stderr.isatty():
            return None

        def show(fraction):
            sys.stderr.write(f"\r{label} {fraction:6.1%}")
            sys.stderr.flush()

        return show

    def _report(self, job):
        counts = ", ".join(f"{key} {value}" for key, value in job.counts.items())
        self.stdout.write(f"{job.get_status_display()}: {job.total_rows} rows; {counts}")
        if job.message:
            self.stdout.write(job.message)
        for error in job.errors[:20]:
            self.stdout.write(f"  line {error['line']}: {error['field']}: {error['message']}")
        if job.error_count > 20:
            self.stdout.write(f"  ... and {job.error_count - 20} more row errors")
