"""The whole-product partner network: partners by category, bundles, referrals and their
outcomes."""
