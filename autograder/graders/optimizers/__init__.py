"""The hidden graders of 03_optimizers (lectures 000 and 004), one module per group of the lesson's
functions: plain steps (SGD, decay, momentum), adaptive steps (Adagrad, RMSProp, Adam) and
mini-batches. Per function: the lectures' worked examples, agreement with the reference on arrays,
runs of many steps that feed each step's returned state into the next, inputs left unchanged, and
the mutants its checks must catch. The expected values come from the reference, run in the trusted
process.
"""

# The order of the results: these modules' exercises, each in the order written.
SECTIONS = ("steps", "adaptive", "batches")
