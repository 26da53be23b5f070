"""Errors of the graph engine (modelled on ``networkx.exception``)."""

__all__ = ["ConvergenceError", "GraphError"]


class GraphError(ValueError):
    """The input cannot make or be read as an interaction graph."""


class ConvergenceError(GraphError):
    """A power iteration did not reach its tolerance within its iteration budget."""
