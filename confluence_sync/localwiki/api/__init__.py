"""The local wiki's REST routes, by API: ``v1`` (v1 / Data Center), ``v2`` (Cloud v2) and
``admin`` (the local wiki's own ``/__localwiki`` routes). ``links`` holds the links v1 and v2
answers share.

A route reads the request through ``web.ctx.Ctx``, checks rights with ``web.checks``, acts on
the store and answers with a shape of its API. ``route_tables()`` hands the mounted tables to
the REST core (``server.build_core_app``).

Imports: ``web``, ``store``, ``rules``. Nothing in ``web``, ``store``, ``rules`` or the
viewer imports a route.
"""

from confluence_sync.localwiki.api import admin, v1, v2
from confluence_sync.localwiki.web.routing import RouteTable


def route_tables() -> dict[str, RouteTable]:
    """The route table of each mount (the keys ``WikiApp`` takes), every route registered."""
    # Each API package hands its table on under the API's name: v1.v1 is the v1 table.
    return {
        "v1": v1.v1,
        "v2": v2.v2,
        "admin": admin.admin,
        "experimental": v1.experimental,
    }
