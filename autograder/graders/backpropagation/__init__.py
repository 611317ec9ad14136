"""The hidden graders of 02_backpropagation (lectures 000, 001 and 004; the workshop 002), one
module per group of the lesson's functions: the activations' backward passes, the dense layer,
the losses, the chain rule by hand (the workshop's neuron and lecture 000's layer), central
differences, and the workshop's two-hidden-layer network. Per function: the workshop's and
lectures' worked examples, agreement with the reference on random inputs (batches of one,
non-square weights), gradient checks against central differences of the reference forward pass
computed here, inputs left unchanged, and the mutants its checks must catch.

No student code runs in this process: functions handed to `numerical_gradient` are defined on the
student's side with `student.define`; the same grader-written source is executed here as well.
"""

# The order of the results: these modules' exercises, each in the order written.
SECTIONS = ("activations", "dense", "losses", "chain_rule", "numerical", "network")
# The seed of the generator the "leaves its inputs unchanged" rows draw their arguments from.
UNCHANGED_SEED = 6
