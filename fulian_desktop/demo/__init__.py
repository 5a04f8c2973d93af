"""Made-up data for trying the program, for tests and for benchmarks: generate.py (how many cases of each
kind, and when; `generate(ctx, cases)`), petitions.py (made-up women and their petitions), kinds.py (referrals,
mediations, households and visits), stories.py (each told step by step through the public services' rules).
Nobody in it exists."""
