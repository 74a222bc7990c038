"""Jinja2 storage-format page templates (de/, en/), shipped as ``confluence_sync.templates``."""
