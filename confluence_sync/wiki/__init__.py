"""What a wiki page is made of, shared by every layer: plain values, the storage format,
managed regions and their canonical form. Pure.

- ``values``: plain values the backends and the engine share;
- ``storage``: storage-format checks and a position-keeping scanner;
- ``regions``: the managed regions (find, replace, insert); ``outside``: the body around them;
- ``canonical`` (and ``canonical_legacy``, frozen): the form region hashes are made of;
- ``inline_comments``: comment markers carried across a region's rewrite.

May import: errors.
"""
