"""docgen: court-ready record-relief paperwork from eligibility results."""

__version__ = "0.1.0"
