"""Demo records of export readiness, added to the demo programmes by `metacluster load-demo`."""


def extend(programmes: dict, rng) -> dict[str, int]:
    """Add this app's demo records to the demo programmes (keyed by acronym); return counts."""
    return {}


def remove(programmes, companies) -> None:
    """Delete this app's records that would block deleting the demo programmes or companies."""
