"""What the wiki holds now, read only.

- ``observe``: every read of a run, into an immutable :class:`~.observe.WikiState`;
- ``ledger``: what the sync owns (the space index, the marker of adopted or archived pages,
  the lock record);
- ``ledger_codec``: the index's compact JSON; ``ledger_store``: its head and shards on the
  wiki, and the one checked write of them.

May import: errors, wiki, config, wanted, backends (the contract only), digest.
"""
