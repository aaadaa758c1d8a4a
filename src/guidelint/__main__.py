from guidelint.cli import run

run()
