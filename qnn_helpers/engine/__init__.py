"""The engine (circuits, layers, models, noise): what makes the chapters' code fast; learners
need not read it.  Each module names the chapter cell it is proven equal to and the test."""
