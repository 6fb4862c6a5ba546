"""What the views share when a model or a workflow refuses what a form submitted."""

from collections.abc import Callable

from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError, *, rename: Callable[[str], str] = str) -> None:
    """Show `error` on `form`: each message on its field (named by `rename(field)`) when the
    form has that field, else above the form, so that no refusal goes unseen."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        name = rename(field)
        form.add_error(name if name in form.fields else None, messages)
