"""Scouting: register codes, VAT numbers, company names, duplicates and the scouting score,
as plain Python over plain data (no Django). See docs/SCOUTING.md."""

from .columns import FIELDS, LAYOUTS, guess_mapping, recognise_layout
from .dedup import Match, Record, find_duplicates, precision_recall
from .nace import parse_nace
from .names import fold, legal_form_of, name_key
from .registry import normalise_registry_code, registry_code_error, with_check_digit
from .rows import CleanRow, RowError, clean_row
from .score import Company, Profile, Score, score
from .vat import normalise_vat, vat_error

__all__ = [
    "FIELDS", "LAYOUTS", "CleanRow", "Company", "Match", "Profile", "Record", "RowError",
    "Score", "clean_row", "find_duplicates", "fold", "guess_mapping", "legal_form_of",
    "name_key", "normalise_registry_code", "normalise_vat", "parse_nace", "precision_recall",
    "recognise_layout", "registry_code_error", "score", "vat_error", "with_check_digit",
]  # fmt: skip
