"""The engine: what makes the chapters' code fast; learners need not read it.

Each module names the chapter cell it is proven equal to and the test that proves it:
circuits (fast forms of chapter 02's ``post_circuit``), layers (``QuantumLayer``), models
(the hybrid model and ``ModelPool``), noise (chapter 06's noisy simulation, batched).
"""
