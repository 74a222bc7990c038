"""What pressing Save in the page editor does to a body: the editor re-serialises all of it.

Neither editor keeps the stored XHTML. The Cloud editor loads the page into ADF and writes
storage back from ADF; the Data Center editor (TinyMCE) loads it into its editor HTML and
converts that back. Either way every byte of the page is rewritten on every save, the parts
the member did not touch included — so a sync that compares its regions byte for byte (or
with a form that only forgives server normalisation) sees a member edit after any save.

``save(flavour, body, context)`` applies the rewrites each editor makes to the body the member
typed; the admin route ``POST /__localwiki/editor-save`` (``api/admin.py``) stores the
result as a new version by that member. Each rule cites where real storage shows it. Ids are
derived from the page id, the version being saved and a counter, so a save is reproducible.

Pure: no I/O (the target pages' versions come in through ``SaveContext.version_of``).
Imports: ``rules.storage_format`` and this package's ``cloud``, ``dc`` and ``tree``.
"""

from __future__ import annotations

from confluence_sync.localwiki.rules import storage_format
from confluence_sync.localwiki.rules.editor.cloud import cloud, cursor_paragraphs
from confluence_sync.localwiki.rules.editor.dc import dc
from confluence_sync.localwiki.rules.editor.tree import Ids, SaveContext

__all__ = ["SaveContext", "save"]


def save(flavour: str, body: str, context: SaveContext) -> str:
    """``body`` as the flavour's editor writes it back on Save (raises XhtmlError)."""
    root = storage_format.parse(body)
    ids = Ids(f"{context.page_id}:{context.version}")
    if flavour == "cloud":
        cloud(root, "root", context, ids)
        cursor_paragraphs(root)
    else:
        dc(root, "root", context, ids)
    return storage_format.serialise(root, new_id=ids.uuid)
