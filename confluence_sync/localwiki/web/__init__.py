"""The local wiki's WSGI core and the machinery that serves it."""
