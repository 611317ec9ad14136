"""The grading engine: hidden graders run against one submission at a time."""
