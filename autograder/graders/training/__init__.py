"""The hidden graders of 04_training: the student's own pieces train a network on the spiral,
one module per group of the lesson's functions: the first guess, the network's forward pass and
prediction, and the training loop.

The full training (default settings, 10001 epochs) runs once per submission
(`student.call_once`); every training grader judges that one run. The training graders come last,
after those of the functions a student's loop may call: when one of those is wrong, the engine
reruns the training check with the reference in its place, and the message names it. The spiral
it trains on is generated here with a seed the student never sees, and accuracy is computed here
with the reference `predict` on the parameters the student returned, so the student's own
`predict` is not trusted.
"""

# The order of the results: these modules' exercises, each in the order written.
SECTIONS = ("first_guess", "network", "loop")
