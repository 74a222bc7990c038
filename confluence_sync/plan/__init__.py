"""The plan: what the wanted wiki and the observed one differ in. Pure: no I/O, no clock.

- ``planner``: spaces, grants, templates, groups and members; calls ``pages`` per space;
- ``pages``: which change (or note) each page gets;
- ``page_changes``: the page changes (create, update, archive) and how they are built;
- ``changes``: the other change types and the :class:`Plan` with its safety check;
- ``notes``: items that are reported, never applied, with their words kept as data.

May import: errors, wiki, config, wanted, state, digest.
"""
