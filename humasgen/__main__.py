"""`python -m humasgen` runs the command line."""
from humasgen.cli import run

run()
