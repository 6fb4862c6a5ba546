"""The OpenAPI document names each schema by its class name, so two apps' schemas of the same
name would silently replace each other in it (and clients would validate against the wrong one)."""

import importlib
from collections import defaultdict

from django.apps import apps
from ninja import Schema


def test_no_two_api_schemas_share_a_name():
    defined_in = defaultdict(set)
    for config in apps.get_app_configs():
        if not config.name.startswith("metacluster."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                defined_in[value.__name__].add(module.__name__)
    shared = {name: sorted(modules) for name, modules in defined_in.items() if len(modules) > 1}
    assert not shared
