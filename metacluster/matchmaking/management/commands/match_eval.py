"""`metacluster match-eval --qrels FILE [--run M.jsonl | --companies C --opportunities O |
--feedback]`: nDCG@10, MRR and recall@50 of a ranking against graded judgements.

Without a run or files, the platform's own rankings (companies for each open opportunity in
the database) are evaluated. `--export-feedback FILE` writes the stored judgements as
qrels: an interest is grade 2, "relevant" feedback 1, "not relevant" feedback 0.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from metacluster.core.matching.cli import InputError, add_eval_arguments, run_eval
from metacluster.core.matching.metrics import QrelsError, evaluate, read_qrels
from metacluster.matchmaking import adapters
from metacluster.matchmaking.choices import Verdict
from metacluster.matchmaking.models import Feedback, Interest, Opportunity


def feedback_qrels() -> dict[str, dict[str, float]]:
    qrels: dict[str, dict[str, float]] = {}
    for opportunity, company, verdict in Feedback.objects.values_list(
        "opportunity_id", "company_id", "verdict"
    ):
        grade = 1.0 if verdict == Verdict.RELEVANT else 0.0
        qrels.setdefault(str(opportunity), {})[str(company)] = grade
    for opportunity, company in Interest.objects.values_list("opportunity_id", "company_id"):
        qrels.setdefault(str(opportunity), {})[str(company)] = 2.0
    return qrels


class Command(BaseCommand):
    help = "Evaluate rankings against graded judgements: nDCG@10, MRR, recall@50."

    def add_arguments(self, parser):
        add_eval_arguments(parser)
        # --qrels is required by the core's parser; here stored feedback can stand in.
        for action in parser._actions:
            if action.dest == "qrels":
                action.required = False
        parser.add_argument(
            "--export-feedback",
            metavar="FILE",
            help="write the stored interests and feedback as qrels to FILE and stop",
        )

    def handle(self, *args, **options):
        if options.get("export_feedback"):
            qrels = feedback_qrels()
            with open(options["export_feedback"], "w", encoding="utf-8") as f:
                f.write("query_id,doc_id,grade\n")
                for q, judged in sorted(qrels.items()):
                    for doc, grade in sorted(judged.items()):
                        f.write(f"{q},{doc},{grade:g}\n")
            self.stdout.write(f"{sum(map(len, qrels.values()))} judgements written")
            return
        try:
            if options.get("run") or options.get("companies"):
                if not options.get("qrels"):
                    raise InputError("give --qrels")
                result = run_eval(options)
            else:
                result = {"platform": self._platform(options.get("qrels"))}
        except InputError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(json.dumps(result, indent=1))

    def _platform(self, path):
        """The database's own rankings against a qrels file or the stored feedback."""
        if path:
            try:
                with open(path, encoding="utf-8") as f:
                    qrels = read_qrels(f)
            except (OSError, UnicodeDecodeError, QrelsError) as error:
                raise InputError(str(error)) from None
        else:
            qrels = feedback_qrels()
        run = {}
        for opportunity in Opportunity.objects.filter(
            pk__in=[int(q) for q in qrels if q.isdigit()]
        ):
            _mode, ranked = adapters.companies_for(opportunity, top=50)
            run[str(opportunity.pk)] = [str(r.company.pk) for r in ranked]
        return evaluate(run, qrels)
