"""Contract tests: the local wiki's exchanges checked against Atlassian's OpenAPI specs."""
