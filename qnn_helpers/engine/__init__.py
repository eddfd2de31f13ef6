"""The engine: what makes the chapters' code fast, proven equal to it by the tests.

Learners need not read it.  Each module names the chapter cell it is proven equal to and
the test that proves it:

    circuits  fast forms of chapter 02's circuit (``post_circuit``): the compact Möttönen
              encoding and fused entangling layers, as PennyLane operations
    layers    QuantumLayer: that circuit as a Keras layer, on TensorFlow or JAX
    models    the hybrid model QuantumLayer → Dense(softmax), and ModelPool
"""
