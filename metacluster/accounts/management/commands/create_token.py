from django.core.management.base import BaseCommand, CommandError

from metacluster.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print its key. Only a hash is stored, so the key "
        "is shown this once. Use it as 'Authorization: Bearer <key>'."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'CRM sync'.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="How many days the token is valid (default: API_TOKEN_DAYS, 90).",
        )

    def handle(self, *args, username: str, name: str, days: int | None = None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        name = name.strip()
        if not name or len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("Give the token a name of at most 100 characters.")
        if days is not None and not 1 <= days <= 3660:
            raise CommandError("--days must be between 1 and 3660.")
        token, key = ApiToken.issue(user, name, days=days)
        self.stderr.write(
            f"Token {token.prefix}… issued to {username}, valid until {token.expires_at:%Y-%m-%d}. "
            "Store the key now: it is not shown again."
        )
        self.stdout.write(key)
