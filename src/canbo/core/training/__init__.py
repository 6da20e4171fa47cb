"""Training planning (issue 13): the course catalogue, needs from the standards engine and the
multi-year plan optimised under seats, budget and deadlines. Pure core: no Django."""
