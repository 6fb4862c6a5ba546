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


def check_acting_partner(form, user, *, field: str = "partner") -> None:
    """Refuse, on `field`, a partner the user may not record for in the form's programme
    (accounts.access.may_act_for): advisors act for their own organisation only. An existing
    record keeps its partner unchanged without the check."""
    from metacluster.accounts.access import ACT_FOR_OTHERS_REFUSED, may_act_for

    programme = form.cleaned_data.get("programme") or getattr(form.instance, "programme", None)
    partner = form.cleaned_data.get(field)
    if not (programme and partner):
        return
    unchanged = form.instance.pk and field not in form.changed_data
    if not unchanged and not may_act_for(user, programme, partner):
        form.add_error(field, ACT_FOR_OTHERS_REFUSED)
