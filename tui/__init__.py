"""dayone: plan a data integration with a new production system."""

__version__ = "0.1.0"
