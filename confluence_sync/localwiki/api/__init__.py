"""The local wiki's REST routes: v1 / Data Center, Cloud v2, and its own admin routes."""
