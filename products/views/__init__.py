"""Views of the products app, by responsibility: producers (registration, desk,
verification, invitations), products (with photos) and documents (the evidence library)."""
