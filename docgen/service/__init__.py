"""docgen as a service: an HTTP API and a web page over the same pipeline as the CLI.

`docgen serve` starts it; `docgen keys create --office NAME` makes an API key.
"""
