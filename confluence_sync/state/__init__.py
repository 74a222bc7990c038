"""What the wiki holds now: the ledger of what the sync owns, and the observation (reads only)."""
