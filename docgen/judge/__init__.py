"""The judge's side: the signing batch, its page codes and map, the signed batch back, the ledger, the letters after the order."""
