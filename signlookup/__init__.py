"""signlookup: a desktop reverse dictionary for sign languages."""

__version__ = "0.1.0"
