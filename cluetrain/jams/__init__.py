"""Idea jams: time-boxed crowd brainstorming with live themes and a report."""
