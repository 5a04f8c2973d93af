"""Generated from ui/*.ui by build_ui.py: do not edit."""
