"""Fault injection and the request journal: how tests make the wiki misbehave and count."""
