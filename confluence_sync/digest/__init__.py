"""The digest: what the working groups' meeting pages say members did — meetings held and
upcoming, attendance, decisions and action items — read back from page bodies, assembled and
rendered without any I/O (``run_digest`` reads the wiki and hands the pages in).

``page`` parses one meeting page's storage format, ``assemble`` builds the network's
:class:`~confluence_sync.digest.model.Digest`, ``render`` writes it as Markdown, JSON or HTML,
``words`` holds every word it shows, in German and English.

May import: errors, config, wiki.
"""
