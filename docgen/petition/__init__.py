"""Individual and legal-aid petitions: one person's motion, order and notice of filing."""
