"""妇联维权工作台 (Fulian Desktop)."""

__version__ = "0.1.0"
APP_NAME = "妇联维权工作台"
