import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
extensions = ["myst_parser", "edition"]
smartquotes = False
