"""Cluetrain's lab: accuracy evaluations, benchmarks and the training of the shipped models.

A distribution of its own (``cluetrain-lab``, lab/pyproject.toml), never part of a production
install. When it is installed, the settings add it to INSTALLED_APPS, so its commands run
through the same ``cluetrain`` command line; its benchmark pages are served only when
``BENCH_VIEWS`` is on as well (``cluetrain bench web`` turns it on for the server it starts).
"""
