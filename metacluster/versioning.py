"""Optimistic locking: concurrent edits never silently overwrite each other.

An edit form carries the version it was loaded at; saving bumps the version only if nobody else
has saved in between (a single conditional UPDATE, so it is race-free on every database).
"""

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Someone else changed this record after you opened it. "
    "Reload the page to see their changes, then edit again."
)


class StaleEdit(Exception):
    """The record was changed by someone else since the editor loaded it."""


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save_versioned(self, expected_version: int, **kwargs) -> None:
        """Save, but only if the stored version is still `expected_version`."""
        if self.pk is None:
            self.save(**kwargs)
            return
        with transaction.atomic():
            claimed = (
                type(self)
                .objects.filter(pk=self.pk, version=expected_version)
                .update(version=F("version") + 1)
            )
            if claimed != 1:
                raise StaleEdit(str(STALE_MESSAGE))
            self.version = expected_version + 1
            try:
                self.save(**kwargs)
            except Exception:
                # The transaction rolls back the claim; the object must not keep the new number.
                self.version = expected_version
                raise


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over somebody else's newer edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("version")
        # An edit that does not say which version it started from cannot be checked: refuse it.
        if self.instance.pk and expected != self.instance.version:
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    def save(self, commit: bool = True):
        instance = super().save(commit=False)
        if commit:
            expected = self.cleaned_data.get("version") or instance.version
            instance.save_versioned(expected)
            self.save_m2m()
        return instance
