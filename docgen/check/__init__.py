"""`docgen check`: the filing rules of a pack checked on a run's documents."""
