"""Whether a site can take a sync, asked before anything is written: ``doctor`` runs every
check and words each as one line (what was found, what to do); ``preflight`` runs the cheap
part once per ``plan``/``sync`` run (the connection and credentials, then the accounts the plan
would grant to) and stops the run with one grouped error before its first write.

Modules: ``model`` (a check's result and the report), ``network`` (host, port and TLS over
plain sockets, so a refused port or an http/https mismatch is named exactly), ``site`` (which
Confluence answers where: flavour, version, context path), ``account`` (credentials, rights,
capabilities, the config's accounts), ``doctor`` (all of them in order) and ``preflight``.

Every HTTP request goes through the backends' transport; the exceptions it raises
(``TransportError``, ``AuthenticationError``, ``PermissionDeniedError``, ``NotFoundError``, and
``SiteError``/``CredentialsError`` where a transport raises them itself) are mapped to checks
here and nowhere else.

May import: errors, flavours, settings, config, backends, embedded, plan.
"""
