"""What the layers of the stack tell each other through the WSGI environ, and the path prefix
of the local wiki's own routes (``/__localwiki/``), which the outer layers pass through.

The journal (outermost) records what the fault layer and the routes set here; the fault
layer calls the journal's hook before it resets a connection.

Imports: nothing.
"""

ADMIN_PREFIX = "/__localwiki/"
# Set by the fault layer when a fault decided the request, so the journal can record it.
ENVIRON_FAULT_KEY = "localwiki.fault"
# An optional callable set by the journal, called just before a connection is reset.
ENVIRON_BEFORE_RESET = "localwiki.before_reset"
# Set (to True) by a route whose write notifies the page's watchers.
ENVIRON_NOTIFIES = "localwiki.notifies"
