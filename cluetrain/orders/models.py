"""Order routing (Shopatron): the tables."""
