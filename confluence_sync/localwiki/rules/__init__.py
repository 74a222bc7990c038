"""Confluence's own rules that need neither a store nor HTTP: pure functions over text.

* ``storage_format``: the storage format (XHTML-based XML) parsed strictly and normalised as
  Confluence stores it;
* ``cql``: the Confluence Query Language, parsed and evaluated against any candidate;
* ``editor``: what pressing Save in the Cloud or Data Center editor does to a body.

Imports: nothing of the local wiki outside ``rules/``. Everything else may import these.
"""
