"""The pure core of canbo: plain Python domain logic that never imports Django."""
