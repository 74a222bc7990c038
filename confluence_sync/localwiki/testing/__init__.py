"""What tests and benchmarks use to make the local wiki misbehave and to count what reached
it: fault rules and their middleware (``faults``, ``fault_middleware``) and the request
journal (``journal``). Both wrap the REST core as WSGI middleware (``server.build_wsgi_app``).
``headless`` says how a headless Chromium is started against the wiki (browser tests, the
viewer check).

Imports: ``web.environ`` and ``web.errors`` only; nothing here knows the store or a route.
"""
