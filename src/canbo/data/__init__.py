"""Reference data files shipped with canbo (read with importlib.resources)."""
