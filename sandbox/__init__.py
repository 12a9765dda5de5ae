"""Data Science Sandbox: learn data science by doing, with every challenge checked by code."""

__version__ = "0.1.0"
