"""The `metacluster` console command: one entry point for everything a user runs.

It wraps Django's management commands and accepts their names with hyphens, so
`metacluster load-demo` runs the `load_demo` command. `metacluster help` lists them all.
"""

import os
import secrets
import sys
from pathlib import Path

# The key of a local installation (the demo: SQLite in this directory, no SECRET_KEY set).
DEV_KEY_FILE = ".metacluster-secret-key"


def local_secret_key() -> None:
    """Settings require SECRET_KEY when DEBUG is off. A local installation on the default
    SQLite database gets a random key, made once and kept in ./.metacluster-secret-key (only
    its owner may read it), so that `make demo` stays one command and sessions survive a
    restart. A deployment (DATABASE_URL set) must set SECRET_KEY or SECRET_KEY_FILE."""
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        return
    if os.environ.get("DATABASE_URL"):
        return  # settings will say what is missing
    path = Path.cwd() / DEV_KEY_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
        sys.stderr.write(f"Created a secret key for this local installation in {path}\n")
    os.environ["SECRET_KEY_FILE"] = str(path)


def main(argv: list[str] | None = None) -> None:
    # A command's time limit (`schedule --time-limit`) counts from here: from the start of
    # the process when run from the shell, start-up included.
    from metacluster.core.cliutils import command, skip_final_collection

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metacluster.settings")
    local_secret_key()
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    with command(from_process_start=argv is None):
        execute_from_command_line(["metacluster", *args])
    if argv is None:
        skip_final_collection()


if __name__ == "__main__":
    main()
