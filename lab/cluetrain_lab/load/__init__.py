"""The load test: a locust scenario of mixed traffic against a running Cluetrain (docs/load.md)."""
