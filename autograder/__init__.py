"""nnfs-course: build, release, grade and validate the Neural Networks from Scratch exercises."""
