"""confluence-sync: keep a network's Confluence wiki in line with one YAML file."""

__version__ = "0.1.0"
