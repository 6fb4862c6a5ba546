"""The OpenAPI document names each schema and each enum by its class name, so two apps' classes
of the same name would silently replace each other in it (and clients would validate against the
wrong one: the fuzzer once sent events' `pending` to the service requests list)."""

import enum
import typing
from collections import defaultdict

from ninja import Schema

import metacluster.api  # noqa: F401  (imports every router, so every schema is defined)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.startswith("metacluster.")


def _enums(annotation):
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _enums(arg)


def _schemas():
    return [cls for cls in set(_subclasses(Schema)) if _ours(cls)]


def _shared_names(classes) -> dict[str, list[str]]:
    defined_in = defaultdict(set)
    for cls in classes:
        defined_in[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    return {name: sorted(where) for name, where in defined_in.items() if len(where) > 1}


def test_no_two_api_schemas_share_a_name():
    assert not _shared_names(_schemas())


def test_no_two_enums_in_api_schemas_share_a_name():
    enums = {
        found
        for schema in _schemas()
        for field in schema.model_fields.values()
        for found in _enums(field.annotation)
        if _ours(found)
    }
    assert enums, "the API's schemas use choices: finding none means this test looks wrongly"
    assert not _shared_names(enums)
