"""`python -m gongkai` runs the command line (handy where the `gongkai` script is not on PATH)."""
from .cli import main

main()
