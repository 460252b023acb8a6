"""Fast detector response: geometry acceptance, resolutions, particle ID, vetoes."""
