"""The v1 / Data Center REST API (``/rest/api``): routes and their JSON shapes."""
