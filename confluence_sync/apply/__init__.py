"""Applying a plan: the applier, page writes, the ledger writer and the run lock."""
