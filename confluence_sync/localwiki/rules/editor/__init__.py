"""The page editors' Save, emulated: ``save.save(flavour, body, context)`` is the entry;
``cloud`` and ``dc`` hold each editor's rewrites and ``tree`` the helpers they share.

Imports: ``rules.storage_format`` only.
"""
