"""Similarity signals between students' answers: a reason to look, never proof, never a grade."""


class SimilarityError(Exception):
    """Bad input to `similarity`, stated in one line that names the file or folder."""
