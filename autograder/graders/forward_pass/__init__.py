"""The hidden graders of 01_forward_pass (lectures 004 and 001; notes 003), one module per group
of the lesson's functions: products and layers, activations, losses, and a network's layers and
accuracy. Per function: the lecture's worked example (or a small hand example), agreement with the
reference on random inputs of several shapes, edge cases, inputs left unchanged, and the mutants
its checks must catch. The expected values come from the reference, run in the trusted process.
"""

# The order of the results: these modules' exercises, each in the order written.
SECTIONS = ("products", "activations", "losses", "network")
# The seed of the generator the "leaves its inputs unchanged" rows draw their arguments from.
UNCHANGED_SEED = 2
