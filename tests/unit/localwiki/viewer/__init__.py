"""Unit tests of the local wiki viewer's storage-format renderer."""
