"""Idea jams: the tables."""
