"""The offices' web app: pages over the same library and store as the CLI (see ``app.py``)."""
from .app import create_web_app

__all__ = ["create_web_app"]
