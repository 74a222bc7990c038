"""The HTML viewer of the local wiki, for people: spaces, page trees and pages rendered from
storage format as Confluence shows them, beside the REST core (not behind it: it reads the
store directly).

``render`` turns a storage body into safe HTML (pure), with the macros in ``macros``,
``children`` and ``reports`` (reading other pages through ``extract``), dates and words in the
reader's language from ``i18n``; what rendering may ask of the wiki is the ``wikidata``
protocol, which ``store_data`` answers from the store. ``app`` serves the pages
(``make_viewer``) with ``static/viewer.css``; ``info`` is a page's "page information";
``create_dialog`` is the Create dialog (a space's page templates, and a new page from one).
``auth`` logs members in and decides what each visitor may read (the store's permission
check, as REST); ``edit`` lets a member edit a page (``to_editor``/``from_editor``: storage ↔
the editor's HTML) or tick a task (``tasks``) and hands the save to the REST API.

Imports: ``store`` and ``rules`` (storage format, CQL); never ``web`` or ``api``.
"""
