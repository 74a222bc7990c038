"""The HTML viewer of the local wiki, for people: spaces, page trees and pages rendered from
storage format, beside the REST core (not behind it: it reads the store directly).

``render`` turns a storage body into safe HTML (pure); ``app`` serves the pages
(``make_viewer``) with ``static/viewer.css``; ``create_dialog`` is its Create dialog (a
space's page templates, and a new page from one).

Imports: ``store`` and ``rules.storage_format``; never ``web`` or ``api``.
"""
