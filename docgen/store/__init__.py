"""The run folder: atomic writes, the file index, the manifest, resuming, the report, the print batches."""
