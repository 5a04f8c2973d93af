"""交换包: the township offices and the county exchanging packages (services/exchange_packages.py)."""
