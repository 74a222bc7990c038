"""Who may do what, least privilege (DOMAIN.md): the Confluence groups the sync keeps and the
space grants the config gives, in the project's operation vocabulary (``backends.permissions``
maps it to Cloud and Data Center).

Admins administer every space; one group per working group (``<network>-<group>-members``,
lower case) holds the accounts of the contacts of its member organisations and reads and
writes the group's space; ``<network>-contacts`` holds every contact with an account, reads
the hub and, for ``visibility: network``, the group's space too. Anonymous users and anyone
else get nothing: no grant names them. What each level (read, write, admin) means in
operations is ``wiki.levels``. Imports: config, wiki (values, levels).
"""

from __future__ import annotations

from confluence_sync.config import NetworkConfig, Organisation, WorkingGroup, space_key
from confluence_sync.wiki.levels import LEVEL_OPERATIONS, Level
from confluence_sync.wiki.values import Grant, SubjectType


def group_name(network_key: str, group_key: str | None = None) -> str:
    """Confluence group of a working group's members, or of every network contact."""
    suffix = f"{group_key}-members" if group_key else "contacts"
    return f"{network_key}-{suffix}".lower()


def members(config: NetworkConfig, group: WorkingGroup) -> list[Organisation]:
    """The group's member organisations, in the config's order."""
    found = (config.organisation(member) for member in group.members)
    return [organisation for organisation in found if organisation is not None]


def _grants(subject_type: SubjectType, subject: str, level: Level) -> set[Grant]:
    return {Grant(subject_type, subject, operation) for operation in LEVEL_OPERATIONS[level]}


def access(
    config: NetworkConfig,
) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[Grant]]]:
    """The groups (name → accounts) and the grants of every space (key → grants)."""
    network = config.network
    contacts = group_name(network.key)
    everyone = {c.account for o in config.organisations for c in o.contacts if c.account}
    groups = {contacts: frozenset(everyone)}
    admins = sorted({admin.account for admin in network.admins})
    hub: set[Grant] = set().union(*(_grants("user", a, "admin") for a in admins))
    grants = {network.key: frozenset(hub | _grants("group", contacts, "read"))}
    for group in config.working_groups:
        key = space_key(network, group)
        accounts = {c.account for o in members(config, group) for c in o.contacts if c.account}
        name = group_name(network.key, group.key)
        groups[name] = frozenset(accounts)
        given: set[Grant] = set().union(*(_grants("user", a, "admin") for a in admins))
        given |= _grants("group", name, "write")
        if group.visibility == "network":
            given |= _grants("group", contacts, "read")
        grants[key] = frozenset(given)
    return groups, grants
