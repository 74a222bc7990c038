"""The v1 / Data Center REST API (``/rest/api``; Cloud also serves it under ``/wiki``).

Every route module registers on ``table.v1`` (or ``table.experimental``) when it is
imported; this package imports them all, so the tables are whole wherever they are used:

* ``content``: pages, history, children, move; ``labels`` and ``properties`` of pages and
  spaces; ``attachments``; ``archive``;
* ``spaces``: spaces and their trash; ``permissions``: space permissions;
* ``people``: users, watches, groups and membership; ``people_bulk``: Cloud's bulk user read;
* ``search``: CQL; ``templates``: page templates and long tasks;
* ``site``: what the site is (DC server information, Cloud system information).

``shapes`` and ``people_shapes`` build the JSON answers.

Imports: ``web``, ``store`` (records), ``rules``, ``api.links``; never ``api.v2``.
"""

# Imported for what they do on import: each module registers its routes on the tables.
from confluence_sync.localwiki.api.v1 import (  # noqa: F401
    archive,
    attachments,
    content,
    labels,
    people,
    people_bulk,
    permissions,
    properties,
    search,
    site,
    spaces,
    templates,
)
from confluence_sync.localwiki.api.v1.table import experimental, v1

__all__ = ["experimental", "v1"]
