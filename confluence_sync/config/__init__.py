"""The network config: YAML with line context, typed models, rules, schedules, scaffolding.

Modules: ``load`` (file → validated config, every problem at FILE:LINE:COL), ``yaml_source``
(YAML with positions), ``model`` (the pydantic models), ``rules`` (checks beyond types),
``schedule`` (meetings from schedules), ``titles`` (page titles and Confluence's title rule),
``identities`` (what makes a page the same page), ``bootstrap`` (``init``), ``summary``,
``schema``. Public API::

    load_config(path, *, today=None) -> NetworkConfig      raises ConfigError with every problem
    load_config_on(path, today) -> (NetworkConfig, day)    the day: today, else the network's
    expand_meetings(config, group, today) -> list[PlannedMeeting]
    space_key(network, group) -> str, hub_space_key(network) -> str
    titles.meeting_page_title(meeting), titles.fixed_title(page, language), ...

May import: errors, files (the one file it writes: `init`'s starter config).
"""

from confluence_sync.config.load import load_config, load_config_on, load_config_text
from confluence_sync.config.model import (
    Admin,
    Contact,
    Meeting,
    Network,
    NetworkConfig,
    Organisation,
    Schedule,
    WorkingGroup,
    hub_space_key,
    space_key,
)
from confluence_sync.config.schedule import PlannedMeeting, expand_meetings, meeting_identity
from confluence_sync.config.titles import meeting_page_title

__all__ = [
    "Admin",
    "Contact",
    "Meeting",
    "Network",
    "NetworkConfig",
    "Organisation",
    "PlannedMeeting",
    "Schedule",
    "WorkingGroup",
    "expand_meetings",
    "hub_space_key",
    "load_config",
    "load_config_on",
    "load_config_text",
    "meeting_identity",
    "meeting_page_title",
    "space_key",
]
