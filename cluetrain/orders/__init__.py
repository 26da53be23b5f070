"""Order routing (Shopatron): a manufacturer's orders offered to retailers, resolved once a day
to the nearest claimant."""
