"""The local Confluence-compatible server: SQLite store, REST routes for Data Center and Cloud
(v1 and v2), auth and permissions. It imports nothing of the sync engine, so any Confluence
client can use it; ``LocalWiki`` in ``server.py`` is the entry point.

May import: nothing of confluence_sync outside localwiki.
"""
