"""The grading engine: hidden graders run by pytest against one submission at a time."""
