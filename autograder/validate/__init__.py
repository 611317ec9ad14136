"""`nnfs-course validate`: prove every grader passes the reference, fails the stubs and catches
every known-wrong implementation, and that the lecture's worked examples hold."""
