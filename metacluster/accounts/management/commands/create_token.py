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

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        name = name.strip()
        if not name or len(name) > ApiToken._meta.get_field("name").max_length:
            raise CommandError("Give the token a name of at most 100 characters.")
        token, key = ApiToken.issue(user, name)
        self.stderr.write(
            f"Token {token.prefix}… issued to {username}. Store the key now: it is not shown again."
        )
        self.stdout.write(key)
