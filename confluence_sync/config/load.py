"""Load a config file and report every problem in it at once, each at FILE:LINE:COL.

Three layers feed one list of problems: the YAML reader (syntax, duplicate keys), the pydantic
models (types, required and unknown fields, single values) and the rules (references,
duplicates, titles). When the models reject part of the file, the rules still run on the parts
that passed, so fixing one problem does not merely reveal the next.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
import zoneinfo
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from confluence_sync.config.model import (
    DEFAULT_ZONE,
    Network,
    NetworkConfig,
    Organisation,
    WorkingGroup,
)
from confluence_sync.config.rules import ConfigView, check, suggest
from confluence_sync.config.yaml_source import (
    ROOT_PATH,
    LoadedYaml,
    Loc,
    Positions,
    parse_yaml,
    read_yaml,
)
from confluence_sync.errors import ConfigError, Problem

_TOP_LEVEL = "expected a mapping with the keys network, organisations and working_groups"


def load_config(path: Path, *, today: dt.date | None = None) -> NetworkConfig:
    """Read, type-check and rule-check the config at ``path``.

    ``today`` decides which generated meetings exist (they take part in the title rule);
    none given, it is today where the network meets (``network_day``).
    Raises ``ConfigError`` with every problem found.
    """
    return validate_loaded(read_yaml(path), today=today)


def load_config_on(path: Path, today: dt.date | None) -> tuple[NetworkConfig, dt.date]:
    """``load_config``, and the day it was loaded for: ``today``, else the network's."""
    loaded = read_yaml(path)
    day = today or network_day(loaded.data)
    return validate_loaded(loaded, today=day), day


def network_day(data: object, now: dt.datetime | None = None) -> dt.date:
    """Today where the network meets: in its ``network.time_zone`` (default Europe/Berlin),
    not the machine's. A cron job on a UTC server at 00:30 in Bremen is already on Bremen's
    next day: the meeting of that day is held, the task due the day before overdue. A zone
    the file names wrongly is reported by validation; the default stands in until then."""
    network = data.get("network") if isinstance(data, dict) else None
    name = network.get("time_zone") if isinstance(network, dict) else None
    try:
        zone = zoneinfo.ZoneInfo(name if isinstance(name, str) and name else DEFAULT_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(DEFAULT_ZONE)
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()


def load_config_text(
    text: str, *, file: str = "<config>", today: dt.date | None = None
) -> NetworkConfig:
    """Like ``load_config`` for text in memory; ``file`` names it in problems."""
    return validate_loaded(parse_yaml(text, file), today=today)


def validate_loaded(loaded: LoadedYaml, *, today: dt.date | None = None) -> NetworkConfig:
    """Turn parsed YAML into a ``NetworkConfig`` or raise ``ConfigError`` with all problems."""
    today = today or network_day(loaded.data)
    positions = loaded.positions
    problems = list(loaded.problems)
    data = loaded.data
    if data is None and problems:
        raise ConfigError(problems)
    if not isinstance(data, dict):
        problems.append(positions.problem((), f"{_TOP_LEVEL}, not {_kind(data)}"))
        raise ConfigError(problems)
    config: NetworkConfig | None = None
    try:
        config = NetworkConfig.model_validate(data)
        view = ConfigView.of(config)
    except ValidationError as error:
        # A value the reader already refused (``!!bool maybe``, a huge number) was handed on
        # as a stand-in; the model's complaint about that stand-in would only repeat it.
        refused = {problem.path for problem in loaded.problems}
        problems += [p for p in _problems_from(error, positions) if p.path not in refused]
        view = _salvage(data)
    problems += [positions.problem(loc, message) for loc, message in check(view, today)]
    if problems or config is None:
        raise ConfigError(sorted(set(problems)))
    return config


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a single value"


def _salvage(data: dict[str, Any]) -> ConfigView:
    """The parts of an invalid file that are valid on their own, for the rules."""
    view = ConfigView(network=_valid(Network, data.get("network"), ("network",)))
    kept = view.kept
    organisations = data.get("organisations", [])
    view.references_known = isinstance(organisations, list)
    if isinstance(organisations, list):
        for index, item in enumerate(organisations):
            organisation = _valid(Organisation, item, ("organisations", index), kept)
            if organisation is not None:
                view.organisations.append((index, organisation))
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("id"), str):
                view.written_org_ids.add(item["id"])
            contacts = item.get("contacts")
            for contact in contacts if isinstance(contacts, list) else []:
                if isinstance(contact, dict) and isinstance(contact.get("email"), str):
                    view.written_emails.add(contact["email"].casefold())
    groups = data.get("working_groups")
    if isinstance(groups, list):
        for index, item in enumerate(groups):
            group = _valid(WorkingGroup, item, ("working_groups", index), kept)
            if group is not None:
                view.groups.append((index, group))
    return view


_M = typing.TypeVar("_M", bound=BaseModel)


def _valid(
    model: type[_M], value: Any, loc: Loc = (), kept: dict[Loc, tuple[int, ...]] | None = None
) -> _M | None:
    """``value`` as ``model``; if some fields fail, without them (so their defaults stand in
    and the rules can still check the rest); None if even that fails.

    A failing list of models (meetings, contacts, admins) is salvaged item by item, so one
    bad meeting does not hide the others from the rules; ``kept`` records, per list, the
    file positions of the items that survived (the rules report at those)."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        if not isinstance(value, dict):
            return None
        failed = {detail["loc"][0] for detail in error.errors() if detail["loc"]}
    cleaned = {k: v for k, v in value.items() if k not in failed}
    for name in sorted(str(f) for f in failed):
        info = model.model_fields.get(name)
        item_model = _inner_model(info.annotation) if info is not None else None
        items = value.get(name)
        if item_model is None or not isinstance(items, list):
            continue
        good: list[BaseModel] = []
        positions: list[int] = []
        for index, item in enumerate(items):
            one = _valid(item_model, item, (*loc, name, index), kept)
            if one is not None:
                good.append(one)
                positions.append(index)
        cleaned[name] = good
        if kept is not None:
            kept[(*loc, name)] = tuple(positions)
    try:
        return model.model_validate(cleaned)
    except ValidationError:
        pass
    try:  # the salvaged lists did not fit after all: without those fields
        return model.model_validate({k: v for k, v in value.items() if k not in failed})
    except ValidationError:
        return None


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``loc`` (for 'did you mean')."""
    model: type[BaseModel] = NetworkConfig
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        found = _inner_model(info.annotation)
        if found is None:
            return None
        model = found
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for argument in typing.get_args(annotation):
            found = _inner_model(argument)
            if found is not None:
                return found
    return None


def _problems_from(error: ValidationError, positions: Positions) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        loc: Loc = tuple(detail["loc"])
        kind = detail["type"]
        value = detail.get("input")
        name = str(loc[-1]) if loc else ROOT_PATH
        if kind == "extra_forbidden":
            model = _model_at(loc[:-1])
            hint = suggest(name, model.model_fields) if model else ""
            problems.append(positions.problem(loc, f"unknown field '{name}'{hint}", at_key=True))
            continue
        limit = detail.get("ctx", {}).get("max_length")
        if kind == "string_too_long" and isinstance(value, str) and isinstance(limit, int):
            message = f"'{name}' is {len(value):,} characters long; at most {limit:,} are allowed"
        else:
            message = _message(kind, name, value, detail["msg"])
        problems.append(positions.problem(loc, message))
    return problems


def _describe(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _message(kind: str, name: str, value: Any, default: str) -> str:
    """A message in the file's terms for the common pydantic error kinds."""
    # Cut: a text may be thousands of characters long, the message is one line.
    shown = ""
    if isinstance(value, str):
        shown = repr(value if len(value) <= 60 else value[:60] + "…")
    elif isinstance(value, int | float | bool):
        shown = repr(value)
    if kind == "missing":
        return f"missing required field '{name}'"
    if value is None and kind.endswith("_type"):
        return f"'{name}' has no value"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"bad date {shown}: use YYYY-MM-DD with a real day ({default.lower()})"
    if kind == "literal_error" and name == "language":
        return f"unknown language {shown}: use de or en"
    if kind == "string_pattern_mismatch":
        if name in ("email", "lead"):
            return f"bad email address {shown}"
        if name == "id":
            return f"bad id {shown}: use lower-case letters, digits and single dashes"
        if name in ("website", "online"):
            return f"bad {name} link {shown}: it must start with http:// or https://"
    if kind == "value_error":
        # Our own validators' words; pydantic prefixes them with "Value error, ".
        return default.removeprefix("Value error, ")
    if kind == "list_type":
        return f"expected a list ('- item' lines or [a, b]), not {_describe(value)}"
    if kind in ("dict_type", "model_type"):
        return f"expected a mapping of fields, not {_describe(value)}"
    return f"{default} (got {shown})" if shown else default
