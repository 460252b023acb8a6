"""Reconstructed quantities, signal and control regions, categories."""
