"""dossier: turn a folder of scraped news articles into a browsable briefing site."""

__version__ = "0.1.0"
