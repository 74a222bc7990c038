"""The route table of the Cloud v2 API, which every route module of ``api/v2/`` registers on.

Importing it imports the package, whose ``__init__`` imports every route module, so the table
is whole wherever it is used. Its ``<int:...>`` ids are v2's: any text matches, and what is
no Java long is refused with 400 (``web.numbers.V2PathId``).

Imports: ``web.routing`` and ``web.numbers``.
"""

from confluence_sync.localwiki.web.numbers import V2PathId
from confluence_sync.localwiki.web.routing import RouteTable

v2 = RouteTable(path_id=V2PathId)
