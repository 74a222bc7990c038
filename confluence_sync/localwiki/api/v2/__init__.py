"""The Cloud v2 REST API (``/wiki/api/v2``).

Every route module registers on ``table.v2`` when it is imported; this package imports them
all, so the table is whole wherever it is used: ``pages`` (pages, their tree and versions,
a space's pages), ``spaces``, ``labels``, ``properties`` (of pages and spaces),
``attachments``, ``folders``, ``roles`` (space roles and role assignments) and ``tasks`` (read
from the pages' bodies). ``shapes`` builds the JSON answers and the cursor-paged lists,
``params`` reads v2's query parameters.

Imports: ``web``, ``store`` (records), ``rules`` (tasks), ``api.links``; never ``api.v1``.
"""

# Imported for what they do on import: each module registers its routes on the table.
from confluence_sync.localwiki.api.v2 import (  # noqa: F401
    attachments,
    folders,
    labels,
    pages,
    properties,
    roles,
    spaces,
    tasks,
)
from confluence_sync.localwiki.api.v2.table import v2

__all__ = ["v2"]
