"""Personal requests (intentcasting): customers say what they want, vendors answer with offers,
both sides rate the deal."""
