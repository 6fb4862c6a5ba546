"""The `metacluster` console command: one entry point for everything a user runs.

It wraps Django's management commands and accepts their names with hyphens, so
`metacluster load-demo` runs the `load_demo` command. `metacluster help` lists them all.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    # A command's time limit (`schedule --time-limit`) counts from here: from the start of
    # the process when run from the shell, start-up included.
    from metacluster.core.cliutils import command, skip_final_collection

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metacluster.settings")
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
