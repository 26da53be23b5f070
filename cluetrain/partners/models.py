"""The whole-product partner network: the tables."""
