"""``python -m confluence_sync``: the command line.

May import: cli.
"""

from confluence_sync.cli import main

main()
