"""The benchmark network generator (bench/large_network.py) writes configs that validate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType

import pytest

from confluence_sync.config import expand_meetings, load_config

from ..bench_scripts import bench_module

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return bench_module("large_network")


def test_tiny_shape_validates_and_has_the_expected_size(
    generator: ModuleType, tmp_path: Path
) -> None:
    shape = generator.TINY
    config = load_config(generator.write_network(tmp_path / "n.yaml", shape), today=TODAY)
    assert len(config.working_groups) == shape.groups
    assert len(config.organisations) == shape.organisations
    for group in config.working_groups:
        assert len(expand_meetings(config, group, TODAY)) == shape.meetings
    contacts = [len(o.contacts) for o in config.organisations]
    assert set(contacts) == {1, 2}


def test_names_carry_umlauts_ampersands_and_quotes(generator: ModuleType) -> None:
    text = generator.network_yaml(generator.TINY)
    for needle in ("ü", "&", "„", '"'):
        assert needle in text


def test_small_shape_validates_with_mapped_accounts(generator: ModuleType, tmp_path: Path) -> None:
    shape = generator.SMALL
    accounts = {name: f"5b10:{name}" for name in generator.account_names(shape)}
    path = generator.write_network(tmp_path / "n.yaml", shape, accounts)
    config = load_config(path, today=TODAY)
    named = {c.account for o in config.organisations for c in o.contacts if c.account}
    named |= {a.account for a in config.network.admins}
    assert named == set(accounts.values())
    assert shape.expected_spaces == 1 + len(config.working_groups)
