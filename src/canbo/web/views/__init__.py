"""The views of the web application, one module per page family (DESIGN.md, "The web layer")."""
