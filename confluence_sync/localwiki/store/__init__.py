"""The local wiki's store: everything it keeps, in SQLite, with Confluence's rules enforced.

``Store`` (assembled in ``wiki``) is the one object the rest of the wiki talks to; ``model``
holds the records it hands out and the errors its rules raise. The store knows no HTTP: the
web layer turns its errors into status codes.

Imports: nothing of the local wiki outside ``store/``. The routes, the viewer and the server
import it, never the other way round.
"""

from confluence_sync.localwiki.store.wiki import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    ADMIN_TOKEN,
    ADMIN_USERNAME,
    Store,
)

__all__ = ["ADMIN_EMAIL", "ADMIN_PASSWORD", "ADMIN_TOKEN", "ADMIN_USERNAME", "Store"]
