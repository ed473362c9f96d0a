from docgen.cli import app

app(prog_name="docgen")
