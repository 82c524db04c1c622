"""Author tooling (not imported by learners): regenerate and execute the notebooks."""
