"""Evaluations on real trust data: signed edges (Bitcoin), ratings with trust (Epinions, Ciao,
FilmTrust) and the gaming test of reputation; the models are in cluetrain_analytics.reputation.

Commands: ``cluetrain eval signed``, ``cluetrain eval ratings``, ``cluetrain eval gaming``
(docs/reputation.md has the method and the numbers).
"""
