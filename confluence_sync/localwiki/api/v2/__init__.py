"""The Cloud v2 REST API (``/wiki/api/v2``): routes and their JSON shapes."""
