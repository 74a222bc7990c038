"""Chaos tests of the local wiki's fault and journal middleware."""
