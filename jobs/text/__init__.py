"""Text helpers: encoding detection and streaming word counts."""
