"""Personal requests (intentcasting): the tables."""
