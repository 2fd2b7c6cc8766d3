"""Views of the OCOP cycle, by responsibility: criteria (scoring forms), rounds,
dossiers (the producer's side) and inbox (the working group's side)."""
