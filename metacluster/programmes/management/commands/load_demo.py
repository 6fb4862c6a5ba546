import time

from auditlog.context import disable_auditlog
from django.core.management.base import BaseCommand, CommandError

from metacluster import demo


class Command(BaseCommand):
    help = (
        "Load three real Interreg Central Baltic programmes with fictional companies, "
        "services, deliveries and deals, and print the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo programmes, their fictional companies and the demo users, "
            "then load them again.",
        )

    def handle(self, *args, reset: bool, verbosity: int, **options):
        # Fictional demo records need no audit trail; loading them is then as fast as before.
        with disable_auditlog():
            self.load(reset=reset, verbosity=verbosity)

    def load(self, *, reset: bool, verbosity: int) -> None:
        self.verbosity = verbosity
        if demo.exists() and not reset:
            self.say(
                "The demo programmes are already loaded; nothing changed. "
                "Run with --reset to delete them and load them again."
            )
            self.print_logins()
            return
        try:
            if reset:
                removed = demo.remove()
                self.say(
                    "Deleted {programmes} demo programmes, {companies} fictional companies "
                    "and {users} demo users.".format(**removed)
                )
            started = time.monotonic()
            created = demo.load()
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        self.say(
            self.style.SUCCESS(
                "Loaded {programmes} programmes: {companies} fictional companies, "
                "{engagements} engagements, {deliveries} deliveries, {deals} deals, "
                "{consortia} consortia, {notes} notes".format(**created)
                + f" in {seconds:.1f} s."
            )
        )
        base = {"programmes", "companies", "engagements", "deliveries", "deals", "consortia"}
        tools = {name: count for name, count in created.items() if name not in base | {"notes"}}
        if tools:
            self.say("With " + ", ".join(f"{count} {name}" for name, count in tools.items()) + ".")
        self.print_logins()

    def say(self, text: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(text)

    def print_logins(self) -> None:
        self.say(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD}):")
        logins = demo.logins()
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.say(f"  {login.username:<{width}}  {login.description}")
