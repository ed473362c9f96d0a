"""Rendering: view models to PDF and DOCX files, in this process, a worker pool or a cluster."""
