"""Tests of page rendering, storage-format checks and labels."""
