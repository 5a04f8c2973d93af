"""法律援助转介: the referral form, the referral's page, and the directory of organisations women are referred to."""
