"""The local Confluence-compatible server: SQLite store, REST routes for Data Center and Cloud
(v1 and v2), auth and permissions. It imports nothing of the sync engine, so any Confluence
client can use it; ``LocalWiki`` in ``server.py`` is the entry point.

The house (``README.md`` beside this file draws it): ``server`` stacks ``testing`` (journal,
faults) around ``web`` (the REST core), which dispatches to ``api`` (v1, v2, admin routes);
routes act on ``store`` and use ``rules``; ``viewer`` sits beside the core. Each part says
what it may import.

May import: nothing of confluence_sync outside localwiki.
"""
