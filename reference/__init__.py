"""The instructor's reference implementations, one module per assignment."""
