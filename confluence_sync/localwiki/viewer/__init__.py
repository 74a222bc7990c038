"""The HTML viewer of the local wiki, for people: spaces, page trees and pages rendered from
storage format, beside the REST core (not behind it: it reads the store directly).

``render`` turns a storage body into safe HTML (pure); ``app`` serves the pages
(``make_viewer``) with ``static/``. ``auth`` logs members in and decides what each visitor
may read (the store's permission check, as REST); ``edit`` lets a member edit a page
(``to_editor``/``from_editor``: storage ↔ the editor's HTML) or tick a task (``tasks``) and
hands the save to the REST API.

Imports: ``store`` and ``rules``; never ``web`` or ``api``.
"""
