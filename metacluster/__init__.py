"""Metacluster: cross-border SME export programmes run jointly by cluster organisations."""
