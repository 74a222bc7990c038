"""The route tables of the v1 / Data Center API, which every route module of ``api/v1/``
registers on: ``v1`` (``/rest/api``) and ``experimental``, the read-only template routes
older Data Center releases served under ``/rest/experimental``.

Importing it imports the package, whose ``__init__`` imports every route module, so the
tables are whole wherever they are used.

Imports: ``web.routing``.
"""

from confluence_sync.localwiki.web.routing import RouteTable

v1 = RouteTable()
experimental = RouteTable()
