"""Backup to a USB stick and restore from a backup, and the menu entries that open them."""
