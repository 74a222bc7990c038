"""The local wiki's WSGI core: the REST application (``app.WikiApp``) with what every route
works with — the request context (``ctx``), route tables (``routing``), error shapes
(``errors``), permission checks (``checks``), Java-number parsing (``numbers``) — and the
serving machinery around it: the single-page answer cache (``response_cache``), the
keep-alive request handler (``keepalive``) and the environ keys the layers share
(``environ``).

Imports: ``store`` and ``rules`` (``checks`` validates storage bodies). It never imports a
route module, the viewer or ``testing``: the route tables are handed to ``WikiApp``.
"""
