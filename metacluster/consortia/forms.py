"""Consortium forms arrive with consortium formation (its own issue)."""
