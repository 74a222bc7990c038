"""confluence-sync: keep a network's Confluence wiki in line with one YAML file.

May import: nothing of confluence_sync.
"""

__version__ = "0.1.0"
